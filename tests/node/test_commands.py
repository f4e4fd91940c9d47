"""``gms_node`` and ``gms_serve`` as an operator runs them."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.embedded import EmbeddedNode, http_get

STATUS = "/genesys/1/admin/node/status"


@pytest.mark.django_db
def test_gms_node_changes_what_the_load_balancer_sees(client, admin_headers):
    out = StringIO()
    call_command("gms_node", "suspend", stdout=out)
    assert out.getvalue().strip() == "OFFLINE"
    assert client.get(STATUS, headers=admin_headers).content == b"OFFLINE"

    out = StringIO()
    call_command("gms_node", "status", stdout=out)
    assert out.getvalue().strip() == "OFFLINE"

    call_command("gms_node", "start", stdout=StringIO())
    assert client.get(STATUS, headers=admin_headers).content == b"ONLINE"


@pytest.mark.django_db
def test_gms_node_acts_on_the_named_node_only(client, admin_headers):
    call_command("gms_node", "suspend", "--node", "another-node", stdout=StringIO())
    assert client.get(STATUS, headers=admin_headers).content == b"ONLINE"


@pytest.fixture
def node(tmp_path):
    server = EmbeddedNode(tmp_path, GMS_STORAGE_PURGE_SECONDS="1")
    yield server
    server.stop()


def test_another_process_suspends_the_running_server_at_once(node):
    assert http_get(node.base + STATUS) == (200, b"ONLINE")
    node.manage("gms_node", "suspend")
    assert http_get(node.base + STATUS) == (200, b"OFFLINE")
    assert http_get(node.base + "/genesys/1/node", auth=False)[0] == 503
    node.manage("gms_node", "start")
    assert http_get(node.base + STATUS) == (200, b"ONLINE")


def test_gms_node_stop_drains_then_ends_the_server(node):
    result = node.manage("gms_node", "stop", "--grace", "0.5")
    assert result.stdout.strip() == "OFFLINE"
    assert node.exited.wait(10), node.output()
    assert "OFFLINE, server stopped" in node.output()


def test_the_server_keeps_the_gms_user_header(node):
    """Daphne drops underscored headers; GMS clients send gms_user (responses.md §3)."""
    import urllib.error
    import urllib.request

    def call(method: str, path: str, headers: dict[str, str], data: bytes | None = None) -> int:
        request = urllib.request.Request(
            node.base + path, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert call("POST", "/genesys/1/storage/custom/mine/60", {"gms_user": "alice"}, b"a=1") == 200
    assert call("GET", "/genesys/1/storage/mine", {"gms_user": "alice"}) == 200
    assert call("GET", "/genesys/1/storage/mine", {"gms_user": "bob"}) == 404
