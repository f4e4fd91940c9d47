"""A real ``gms_serve`` process on the embedded default, for tests that need the whole server."""

import base64
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.conftest import ADMIN_PASSWORD, ADMIN_USER

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url: str, auth: bool = True) -> tuple[int, bytes]:
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
        self.port = free_port()
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
                if http_get(self.base + "/genesys/1/node", auth=False)[0] in (200, 503):
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
