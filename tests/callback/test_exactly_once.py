"""Exactly once with real processes: two Celery workers and two beats on a private Redis.

The workers run the real ``dispatch_due`` task from the beat schedule against the test
database. Mid-run one worker is killed with SIGKILL (its open transaction dies with its
connection) and started again, and the broker is killed and started again. Every
callback must still end with exactly one interaction and one SCHEDULED -> QUEUED step.
"""

import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction

from apps.callback import machine
from apps.callback.models import Callback, CallbackTransition, State
from apps.contactcenter.models import Interaction
from tests.callback.conftest import SERVICE
from tests.embedded import ROOT, free_port

CALLBACKS = 300
SPREAD_SECONDS = 10
DEADLINE_SECONDS = 40

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (worker processes share it)"
    ),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def _database_url() -> str:
    """The pytest-django test database, as the worker processes must see it."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Redis:
    """A private redis-server (never the shared one): the broker under test."""

    def __init__(self, tmp_path: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                *("redis-server", "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(self.dir)),
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if ping.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise AssertionError("private redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Celery:
    """``celery -A gms worker`` or ``beat`` as a node of its own."""

    def __init__(self, kind: str, node: str, env: dict[str, str], tmp_path: Path) -> None:
        self.kind, self.node, self.tmp_path = kind, node, tmp_path
        self.env = env | {"GMS_NODE_ID": node}
        self.log = open(tmp_path / f"{kind}-{node}.log", "a+")  # noqa: SIM115
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        if self.kind == "worker":
            args = ["worker", "--pool", "threads", "--concurrency", "2", "-n", f"{self.node}@%h"]
            args += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        else:
            args = ["beat", "-s", str(self.tmp_path / f"beat-{self.node}")]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "gms", *args, "--loglevel", "INFO"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """SIGKILL: no cleanup, an open transaction dies with the connection."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=20)

    def wait_ready(self) -> None:
        ready = "ready." if self.kind == "worker" else "beat: Starting"
        deadline = time.monotonic() + 30
        while ready not in self.output() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ready in self.output(), self.output()

    def supervise(self) -> None:
        """Start the process again if it exited, as compose's ``restart: unless-stopped``
        does. A worker may exit when the broker goes away: kombu's Redis transport fails
        to requeue unacknowledged messages on a lost connection ("'NoneType' object has
        no attribute 'hostname'", kombu 5.x)."""
        if self.process is not None and self.process.poll() is not None:
            self.start()

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()[-3000:]


def _book(count: int) -> list[str]:
    """``count`` SCHEDULED callbacks, due in a year until :func:`_make_due` moves them."""
    later = datetime.now(UTC) + timedelta(days=365)
    ids = []
    for n in range(count):
        callback = Callback(
            service_name=SERVICE,
            customer_number=f"+1415555{n:04d}",
            desired_time=later,
            due_at=later,
            expiration_time=later + timedelta(days=1),
            options={"_urs_virtual_queue": "VQ_CB"},
        )
        machine.start(callback, state=State.SCHEDULED, now=datetime.now(UTC))
        ids.append(callback.pk)
    return ids


def _make_due(ids: list[str]) -> None:
    """Spread the due times over SPREAD_SECONDS from now, in one transaction."""
    start = datetime.now(UTC)
    with transaction.atomic():
        for n, callback_id in enumerate(ids):
            due = start + timedelta(seconds=SPREAD_SECONDS * n / len(ids))
            Callback.objects.filter(pk=callback_id).update(due_at=due, desired_time=due)


@pytest.fixture
def cluster(tmp_path):
    redis = Redis(tmp_path)
    redis.start()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("GMS_DATABASE_URL", "GMS_REDIS_URL", "GMS_NODE_ID")
    } | {
        "GMS_DATABASE_URL": _database_url(),
        "GMS_REDIS_URL": redis.url,
        "GMS_VAR_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
        "GMS_CALLBACK_DISPATCH_SECONDS": "1",
        # Only the dispatcher runs often; the other periodic jobs stay out of the way.
        "GMS_OFFER_SWEEP_SECONDS": "3600",
        "GMS_CALLBACK_PURGE_SECONDS": "3600",
        "GMS_STORAGE_PURGE_SECONDS": "3600",
    }
    processes = [
        Celery(kind, node, env, tmp_path) for kind in ("worker", "beat") for node in ("a", "b")
    ]
    yield redis, processes
    for process in processes:
        process.kill()
        process.log.close()
    redis.kill()


def test_every_callback_is_queued_exactly_once_through_kills_and_a_broker_restart(
    cluster,
) -> None:
    redis, processes = cluster
    worker_a = processes[0]
    ids = _book(CALLBACKS)
    for process in processes:
        process.start()
    for process in processes:
        process.wait_ready()
    _make_due(ids)

    def queued() -> int:
        return Callback.objects.filter(pk__in=ids, state=State.QUEUED).count()

    def wait_for(count: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while queued() < count and time.monotonic() < deadline:
            for process in processes:
                process.supervise()
            time.sleep(0.05)

    wait_for(CALLBACKS // 4, 20)
    worker_a.kill()  # SIGKILL, most likely inside a dispatch_due pass
    worker_a.start()
    wait_for(CALLBACKS // 2, 20)
    redis.kill()
    time.sleep(1)
    redis.start()
    assert queued() < CALLBACKS, "the run ended before the broker restart"
    wait_for(CALLBACKS, DEADLINE_SECONDS)

    logs = "\n".join(f"--- {p.kind} {p.node}:\n{p.output()}" for p in processes)
    assert queued() == CALLBACKS, logs
    per_callback = Counter(
        Interaction.objects.filter(source="callback", source_id__in=ids).values_list(
            "source_id", flat=True
        )
    )
    assert per_callback == dict.fromkeys(ids, 1)
    to_queued = Counter(
        CallbackTransition.objects.filter(
            callback_id__in=ids, from_state=State.SCHEDULED, to_state=State.QUEUED
        ).values_list("callback_id", flat=True)
    )
    assert to_queued == dict.fromkeys(ids, 1)
    assert set(Callback.objects.filter(pk__in=ids).values_list("claimed_by", flat=True)) <= {
        "a",
        "b",
    }
