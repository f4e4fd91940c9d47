"""The embedded default runs Celery in the server process: periodic jobs fire with no broker."""

import sqlite3
import time
import urllib.request

import pytest

from tests.embedded import EmbeddedNode


@pytest.fixture
def node(tmp_path):
    server = EmbeddedNode(tmp_path, GMS_STORAGE_PURGE_SECONDS="1")
    yield server
    server.stop()


def test_the_embedded_beat_and_worker_purge_expired_storage(node, tmp_path):
    request = urllib.request.Request(node.base + "/genesys/1/storage/1", data=b"k=v", method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200

    def stored_areas() -> int:
        with sqlite3.connect(tmp_path / "gms.sqlite3") as db:
            return db.execute("SELECT COUNT(*) FROM storage_storagearea").fetchone()[0]

    assert stored_areas() == 1
    deadline = time.monotonic() + 20
    while stored_areas() and time.monotonic() < deadline:
        time.sleep(0.3)
    assert stored_areas() == 0, node.output()
    assert "purge_expired_storage" in node.output()
