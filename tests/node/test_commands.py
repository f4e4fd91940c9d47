"""``gms_node`` and ``gms_serve`` as an operator runs them."""

import base64
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import ADMIN_PASSWORD, ADMIN_USER

ROOT = Path(__file__).resolve().parents[2]
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, auth: bool = True) -> tuple[int, bytes]:
    request = urllib.request.Request(url)
    if auth:
        token = base64.b64encode(f"{ADMIN_USER}:{ADMIN_PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class EmbeddedNode:
    """A real `gms_serve` process on the embedded default (its own SQLite file)."""

    def __init__(self, tmp_path: Path, **extra_env: str) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("GMS_DATABASE_URL", "GMS_REDIS_URL")
        } | {
            "GMS_VAR_DIR": str(tmp_path),
            "GMS_NODE_ID": "node-under-test",
            "GMS_ADMIN_USER": ADMIN_USER,
            "GMS_ADMIN_PASSWORD": ADMIN_PASSWORD,
            **extra_env,
        }
        self.manage("migrate", "--noinput", "-v0")
        self.log = open(tmp_path / "serve.log", "w+")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "gms_serve", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        # Reap the process as soon as it exits, so `gms_node stop` sees it gone.
        self.exited = threading.Event()
        threading.Thread(
            target=lambda: (self.process.wait(), self.exited.set()), daemon=True
        ).start()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if _get(self.base + "/genesys/1/node", auth=False)[0] in (200, 503):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError("gms_serve did not answer:\n" + self.output())

    def manage(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture
def node(tmp_path):
    server = EmbeddedNode(tmp_path, GMS_STORAGE_PURGE_SECONDS="1")
    yield server
    server.stop()


def test_another_process_suspends_the_running_server_at_once(node):
    assert _get(node.base + STATUS) == (200, b"ONLINE")
    node.manage("gms_node", "suspend")
    assert _get(node.base + STATUS) == (200, b"OFFLINE")
    assert _get(node.base + "/genesys/1/node", auth=False)[0] == 503
    node.manage("gms_node", "start")
    assert _get(node.base + STATUS) == (200, b"ONLINE")


def test_gms_node_stop_drains_then_ends_the_server(node):
    result = node.manage("gms_node", "stop", "--grace", "0.5")
    assert result.stdout.strip() == "OFFLINE"
    assert node.exited.wait(10), node.output()
    assert "OFFLINE, server stopped" in node.output()
