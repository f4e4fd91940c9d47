"""The state machine of callback.md §4.1: the allowed changes, and compare-and-set."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from apps.callback import machine
from apps.callback.models import Callback, CallbackTransition, State

NOW = datetime(2030, 1, 1, 12, tzinfo=UTC)


def _new(state: str = State.SCHEDULED) -> Callback:
    callback = Callback(
        service_name="s",
        customer_number="+14155550142",
        desired_time=NOW,
        due_at=NOW,
        expiration_time=NOW + timedelta(days=1),
    )
    machine.start(callback, state=state, now=NOW)
    return callback


@pytest.mark.django_db
def test_lifecycle_is_recorded_in_order() -> None:
    callback = _new()
    for to in (State.QUEUED, State.ROUTING, State.PROCESSING):
        assert machine.transition(callback, to=to, now=NOW)
    assert machine.transition(callback, to=State.COMPLETED, reason="AGENT_CONNECTED", now=NOW)
    history = list(CallbackTransition.objects.values_list("from_state", "to_state", "reason"))
    assert history == [
        ("", "SCHEDULED", ""),
        ("SCHEDULED", "QUEUED", ""),
        ("QUEUED", "ROUTING", ""),
        ("ROUTING", "PROCESSING", ""),
        ("PROCESSING", "COMPLETED", "AGENT_CONNECTED"),
    ]
    assert Callback.objects.get().state == State.COMPLETED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "to", "reason"),
    [
        (State.COMPLETED, State.QUEUED, ""),  # final
        (State.PROCESSING, State.QUEUED, ""),
        (State.SCHEDULED, State.ROUTING, ""),  # must be queued first
        (State.QUEUED, State.COMPLETED, ""),  # COMPLETED needs a reason
        (State.QUEUED, State.PAUSED, "CANCELLED"),  # only COMPLETED has one
    ],
)
def test_refused_changes(start: str, to: str, reason: str) -> None:
    callback = _new()
    path = {
        State.SCHEDULED: [],
        State.QUEUED: [State.QUEUED],
        State.PROCESSING: [State.QUEUED, State.ROUTING, State.PROCESSING],
        State.COMPLETED: [State.COMPLETED],
    }[start]
    for step in path:
        machine.transition(
            callback, to=step, now=NOW, reason="CANCELLED" if step == State.COMPLETED else ""
        )
    with pytest.raises(machine.TransitionError):
        machine.transition(callback, to=to, reason=reason, now=NOW)


@pytest.mark.django_db
def test_a_stale_read_loses_the_race() -> None:
    """Two writers read SCHEDULED; only the first change wins, the second sees False."""
    first = _new()
    second = Callback.objects.get(pk=first.pk)
    assert machine.transition(first, to=State.QUEUED, now=NOW)
    assert not machine.transition(second, to=State.COMPLETED, reason="CANCELLED", now=NOW)
    assert second.state == State.SCHEDULED  # left as read
    assert Callback.objects.get().state == State.QUEUED
    assert CallbackTransition.objects.count() == 2


@pytest.mark.django_db
def test_transition_locked_moves_a_batch_or_nothing() -> None:
    batch = [_new(), _new()]
    machine.transition_locked(batch, to=State.QUEUED, now=NOW, claimed_by="n")
    assert set(Callback.objects.values_list("state", "claimed_by")) == {(State.QUEUED, "n")}
    assert CallbackTransition.objects.filter(to_state=State.QUEUED).count() == 2
    stale = Callback.objects.get(pk=batch[0].pk)
    stale.state = State.SCHEDULED  # read before another writer moved it
    with pytest.raises(machine.TransitionError), transaction.atomic():
        machine.transition_locked([stale], to=State.QUEUED, now=NOW)
    with pytest.raises(machine.TransitionError), transaction.atomic():
        machine.transition_locked([_new(), batch[1]], to=State.COMPLETED, now=NOW)
    assert CallbackTransition.objects.filter(to_state=State.QUEUED).count() == 2
