"""Node API through HTTP, as a load balancer and an operator call it (node.md)."""

import pytest

from tests.conftest import assert_gms_error, basic

pytestmark = pytest.mark.django_db

STATUS_PATHS = ["/genesys/1/admin/node/status", "/genesys/admin/1/node/status"]


@pytest.mark.parametrize("path", STATUS_PATHS)
def test_status_answers_online_as_plain_text(client, admin_headers, path):
    response = client.get(path, headers=admin_headers)
    assert response.status_code == 200
    assert response.content == b"ONLINE"
    assert response["Content-Type"] == "text/plain;charset=ISO-8859-1"
    assert response["Cache-Control"] == "no-cache"
    assert "Expires" not in response


@pytest.mark.parametrize("path", STATUS_PATHS)
def test_status_needs_admin_credentials(client, path):
    assert_gms_error(client.get(path), 401)
    response = client.get(path, headers={"Authorization": basic("admin", "wrong")})
    body = assert_gms_error(response, 401, "com.genesyslab.gsg.GSGException")
    assert body["message"] == "Unauthorized"
    assert response["WWW-Authenticate"] == 'Basic realm="Genesys Application Configuration Needed"'


def test_admin_credentials_come_from_the_admin_section(client, configure):
    configure({"admin": {"username": "ops", "password": "n0de"}, "server": {"realm": "GMS"}})
    response = client.get(
        STATUS_PATHS[0], headers={"Authorization": basic("admin", "test-admin-password")}
    )
    assert_gms_error(response, 401)
    assert response["WWW-Authenticate"] == 'Basic realm="GMS"'
    response = client.get(STATUS_PATHS[0], headers={"Authorization": basic("ops", "n0de")})
    assert response.status_code == 200


def test_no_admin_password_anywhere_refuses_everyone(client, settings, admin_headers):
    settings.GMS_ADMIN_PASSWORD = ""
    assert_gms_error(client.get(STATUS_PATHS[0], headers=admin_headers), 401)


def test_change_status_drains_and_restores_the_node(client, admin_headers):
    response = client.post(
        "/genesys/1/admin/node/changestatus/OFFLINE",
        content_type="application/x-www-form-urlencoded",
        headers=admin_headers,
    )
    assert response.status_code == 200
    assert response.content == b""
    assert client.get(STATUS_PATHS[0], headers=admin_headers).content == b"OFFLINE"
    assert client.get(STATUS_PATHS[1], headers=admin_headers).content == b"OFFLINE"
    assert client.get("/genesys/1/node").status_code == 503

    assert (
        client.post("/genesys/1/admin/node/changestatus/online", headers=admin_headers).status_code
        == 200
    )
    assert client.get(STATUS_PATHS[0], headers=admin_headers).content == b"ONLINE"
    assert client.get("/genesys/1/node").status_code == 200


def test_change_status_refuses_unknown_values_and_keeps_the_state(client, admin_headers):
    response = client.post("/genesys/1/admin/node/changestatus/DRAINING", headers=admin_headers)
    body = assert_gms_error(response, 400)
    assert "DRAINING" in body["message"]
    assert client.get(STATUS_PATHS[0], headers=admin_headers).content == b"ONLINE"


def test_change_status_needs_admin_credentials(client, admin_headers):
    assert_gms_error(client.post("/genesys/1/admin/node/changestatus/OFFLINE"), 401)
    assert client.get(STATUS_PATHS[0], headers=admin_headers).content == b"ONLINE"


def test_legacy_ping_is_anonymous_and_empty(client, configure):
    configure({"server": {"password": "s3cret"}})
    response = client.get("/genesys/1/node")
    assert response.status_code == 200
    assert response.content == b""


def test_wrong_method_is_405_with_allow_header(client, admin_headers):
    response = client.delete(STATUS_PATHS[0], headers=admin_headers)
    assert_gms_error(response, 405)
    assert "GET" in response["Allow"]


def test_port_restrictions_forbid_admin_paths_on_other_ports(client, configure, admin_headers):
    configure({"port_restrictions": {"/genesys/1/admin/node/*": "8100-8102"}})
    assert_gms_error(client.get(STATUS_PATHS[0], headers=admin_headers), 403)
    response = client.get(STATUS_PATHS[0], headers=admin_headers, SERVER_PORT="8101")
    assert response.status_code == 200
