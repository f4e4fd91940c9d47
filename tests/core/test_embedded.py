"""The embedded default runs Celery in the server process: periodic jobs fire with no broker."""

import sqlite3
import time
import urllib.request

import pytest

from tests.embedded import EmbeddedNode


@pytest.fixture
def node(tmp_path):
    # DEBUG: the embedded Celery loggers then say which job ran (quiet at INFO).
    server = EmbeddedNode(tmp_path, GMS_STORAGE_PURGE_SECONDS="1", GMS_LOG_LEVEL="DEBUG")
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


def test_at_info_the_periodic_jobs_do_not_flood_the_log(tmp_path):
    """The beat sends a job every 2 s; the console shows the server, not each job."""
    server = EmbeddedNode(tmp_path, GMS_CALLBACK_DISPATCH_SECONDS="1")
    try:
        time.sleep(3)
        assert "Embedded Celery worker and beat started" in server.output()
        assert "dispatch_due" not in server.output()
    finally:
        server.stop()
