"""The beat-driven dispatcher: due callbacks are submitted exactly once, whatever happens."""

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import pytest
from django.db import connection, connections

from apps.callback import machine, services, tasks
from apps.callback.models import Callback, State
from apps.contactcenter import services as contactcenter
from apps.contactcenter.models import Interaction
from apps.contactcenter.selectors import find_by_source
from apps.node.models import NodeStatus
from apps.node.services import change_status
from tests.callback.conftest import SERVICE, future, iso

NODE = "node-a"


def _due(count: int, now: datetime) -> list[str]:
    """``count`` SCHEDULED callbacks already due, inserted through the state machine."""
    ids = []
    for n in range(count):
        callback = Callback(
            service_name=SERVICE,
            customer_number=f"+1415555{n:04d}",
            desired_time=now,
            due_at=now - timedelta(seconds=1),
            expiration_time=now + timedelta(days=1),
            options={"_urs_virtual_queue": "VQ_CB"},
        )
        machine.start(callback, state=State.SCHEDULED, now=now)
        ids.append(callback.pk)
    return ids


def test_due_callbacks_are_queued_and_enqueued(service, create) -> None:
    desired = future(30)
    callback_id = create(_desired_time=iso(desired)).json()["_id"]
    early = desired - timedelta(seconds=61)  # buffer 60 s: not yet
    assert services.claim_due(now=early, node=NODE) == []
    on_time = desired - timedelta(seconds=60)
    assert services.claim_due(now=on_time, node=NODE) == [callback_id]
    callback = Callback.objects.get(pk=callback_id)
    assert (callback.state, callback.claimed_by, callback.claimed_at) == (
        State.QUEUED,
        NODE,
        on_time,
    )
    assert find_by_source(source="callback", source_id=callback_id).queue.name == "VQ_CB"
    assert services.claim_due(now=on_time, node=NODE) == []


def test_within_the_buffer_it_is_queued_at_once(service, create) -> None:
    """RecoverOlderCallbackTests: buffer 15 s, due in 15 s -> QUEUED, in 30 s -> SCHEDULED."""
    service(_request_execution_time_buffer="15", _max_request_by_time_bucket="100")
    now = datetime.now(UTC)
    soon = create(_desired_time=iso(now + timedelta(seconds=14))).json()["_id"]
    later = create(_desired_time=iso(now + timedelta(seconds=30))).json()["_id"]
    assert Callback.objects.get(pk=soon).state == State.QUEUED
    assert Callback.objects.get(pk=later).state == State.SCHEDULED


def test_a_suspended_node_dispatches_nothing(db) -> None:
    now = datetime.now(UTC)
    _due(1, now)
    change_status(status=NodeStatus.OFFLINE, node_id=NODE)
    assert services.claim_due(now=now, node=NODE) == []
    assert len(services.claim_due(now=now, node="node-b")) == 1


def test_the_beat_task_dispatches(db, settings) -> None:
    settings.GMS_NODE_ID = NODE
    _due(3, datetime.now(UTC))
    assert tasks.dispatch_due() == 3


def test_a_refused_submission_ends_submit_failed(db) -> None:
    now = datetime.now(UTC)
    (callback_id,) = _due(1, now)
    Callback.objects.filter(pk=callback_id).update(options={"_urs_virtual_queue": "x" * 300})
    assert services.claim_due(now=now, node=NODE) == []
    callback = Callback.objects.get(pk=callback_id)
    assert (callback.state, callback.reason) == (State.COMPLETED, "SUBMIT_FAILED")


def test_a_refused_callback_fails_alone_in_its_batch(db) -> None:
    now = datetime.now(UTC)
    first, refused, last = _due(3, now)
    Callback.objects.filter(pk=refused).update(options={"_urs_virtual_queue": "x" * 300})
    assert sorted(services.claim_due(now=now, node=NODE)) == sorted([first, last])
    states = dict(Callback.objects.values_list("pk", "reason"))
    assert states == {first: "", refused: "SUBMIT_FAILED", last: ""}
    assert Interaction.objects.filter(source="callback").count() == 2


def test_between_beat_ticks_it_passes_again_when_a_callback_falls_due(db) -> None:
    now = datetime.now(UTC)
    (due_now,) = _due(1, now)
    (soon,) = _due(1, now + timedelta(seconds=1.6))
    (after_the_tick,) = _due(1, now + timedelta(seconds=4))
    began = time.monotonic()
    claimed = services.dispatch_until(node=NODE, until=now + timedelta(seconds=2))
    assert claimed == [due_now, soon]
    assert 0.5 <= time.monotonic() - began < 2
    assert Callback.objects.get(pk=after_the_tick).state == State.SCHEDULED


def test_a_tick_with_nothing_falling_due_returns_at_once(db) -> None:
    now = datetime.now(UTC)
    _due(1, now + timedelta(seconds=30))
    began = time.monotonic()
    assert services.dispatch_until(node=NODE, until=now + timedelta(seconds=2)) == []
    assert time.monotonic() - began < 0.5


def test_a_worker_killed_mid_claim_leaves_it_claimable(db) -> None:
    """The claim and the enqueue share one transaction: dying before the commit undoes both."""
    now = datetime.now(UTC)
    (callback_id,) = _due(1, now)
    with (
        patch.object(contactcenter, "enqueue_many", side_effect=SystemExit("killed")),
        pytest.raises(SystemExit),
    ):
        services.claim_due(now=now, node=NODE)
    callback = Callback.objects.get(pk=callback_id)
    assert (callback.state, callback.claimed_by) == (State.SCHEDULED, "")
    assert callback.transitions.count() == 1
    assert services.claim_due(now=now, node="node-b") == [callback_id]
    assert Interaction.objects.filter(source="callback", source_id=callback_id).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks and serialises every writer: the race cannot happen there",
)
def test_two_dispatchers_enqueue_each_callback_exactly_once() -> None:
    now = datetime.now(UTC)
    ids = _due(500, now)
    barrier = threading.Barrier(2)
    claimed: dict[str, list[str]] = {"a": [], "b": []}
    errors: list[BaseException] = []

    def dispatcher(node: str) -> None:
        try:
            barrier.wait()
            while batch := services.claim_due(now=now, node=node, limit=50):
                claimed[node].extend(batch)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=dispatcher, args=(node,)) for node in claimed]
    # Routing is not under test. Patched once, here: patch() is not thread-safe, and two
    # threads patching in turn leave the mock in place for every later test.
    with patch.object(contactcenter, "route"):
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
    assert not errors, errors
    assert sorted(claimed["a"] + claimed["b"]) == sorted(ids)
    per_callback = Counter(
        Interaction.objects.filter(source="callback").values_list("source_id", flat=True)
    )
    assert per_callback == dict.fromkeys(ids, 1)
    assert not Callback.objects.exclude(state=State.QUEUED).exists()
    assert claimed["a"] and claimed["b"], "both dispatchers took part"
