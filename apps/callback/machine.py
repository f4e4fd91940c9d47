"""The callback state machine (callback.md §4): the only code that writes ``Callback.state``.

Every change is a compare-and-set on the state the caller read, so two writers racing
on one callback (two dispatchers, a dispatch and a DELETE) never both win, and each
change appends one :class:`CallbackTransition`.
"""

from datetime import datetime

from django.db import transaction

from apps.callback import notifications
from apps.callback.models import Callback, CallbackTransition, State

# From -> allowed targets. "" is a callback being created. QUEUED/PAUSED -> SCHEDULED is
# a reschedule into the future (callback.md §3.3, our choice). Our choices beyond §4.1
# (apps.callback.lifecycle): ROUTING -> QUEUED when the agent's offer is rejected or
# times out (the callback waits for the next agent); ROUTING/PROCESSING -> SCHEDULED when
# a NO_ANSWER/BUSY dial outcome is retried later.
ALLOWED: dict[str, frozenset[str]] = {
    "": frozenset({State.SCHEDULED, State.QUEUED}),
    State.SCHEDULED: frozenset({State.SCHEDULED, State.QUEUED, State.PAUSED, State.COMPLETED}),
    State.QUEUED: frozenset({State.SCHEDULED, State.PAUSED, State.ROUTING, State.COMPLETED}),
    State.PAUSED: frozenset({State.SCHEDULED, State.QUEUED, State.COMPLETED}),
    State.ROUTING: frozenset({State.QUEUED, State.SCHEDULED, State.PROCESSING, State.COMPLETED}),
    State.PROCESSING: frozenset({State.SCHEDULED, State.COMPLETED}),
    State.COMPLETED: frozenset(),
}


class TransitionError(ValueError):
    """A change §4 does not allow (or a final state without a reason)."""


def _check(from_state: str, to: str, reason: str) -> None:
    if to not in ALLOWED.get(from_state, frozenset()):
        raise TransitionError(f"{from_state or 'new'} -> {to} is not a callback transition")
    if (to == State.COMPLETED) != bool(reason):
        raise TransitionError("COMPLETED needs a reason, and only COMPLETED has one")


def start(callback: Callback, *, state: str, now: datetime) -> None:
    """Insert a new callback in its first state (SCHEDULED or QUEUED)."""
    _check("", state, "")
    with transaction.atomic(savepoint=False):
        callback.state = state
        callback.created_at = callback.updated_at = now
        callback.save(force_insert=True)
        CallbackTransition.objects.create(callback=callback, to_state=state, at=now)
    notifications.changed([callback], from_state="")


def transition(
    callback: Callback, *, to: str, now: datetime, reason: str = "", **changes: object
) -> bool:
    """Move ``callback`` from the state it was read in to ``to``, with other field ``changes``.

    Returns False, leaving ``callback`` as it was, when another writer changed its state
    first. Raises TransitionError for a change §4 does not allow.
    """
    _check(callback.state, to, reason)
    fields = {"state": to, "reason": reason, "updated_at": now, **changes}
    with transaction.atomic(savepoint=False):
        updated = Callback.objects.filter(pk=callback.pk, state=callback.state).update(**fields)
        if not updated:
            return False
        CallbackTransition.objects.create(
            callback=callback, from_state=callback.state, to_state=to, reason=reason, at=now
        )
    from_state = callback.state
    for name, value in fields.items():
        setattr(callback, name, value)
    notifications.changed([callback], from_state=from_state)
    return True


def transition_locked(
    callbacks: list[Callback], *, to: str, now: datetime, **changes: object
) -> None:
    """:func:`transition` for many callbacks in one state, in two statements.

    The caller holds their row locks (``select_for_update``) in its transaction, so none
    can have changed; one that did anyway raises TransitionError and undoes the lot.
    """
    if not callbacks:
        return
    from_state = callbacks[0].state
    if any(callback.state != from_state for callback in callbacks):
        raise TransitionError("transition_locked needs callbacks in one state")
    _check(from_state, to, "")
    fields = {"state": to, "reason": "", "updated_at": now, **changes}
    with transaction.atomic(savepoint=False):
        updated = Callback.objects.filter(
            pk__in=[callback.pk for callback in callbacks], state=from_state
        ).update(**fields)
        if updated != len(callbacks):
            raise TransitionError("a callback changed state while locked")
        CallbackTransition.objects.bulk_create(
            CallbackTransition(callback=callback, from_state=from_state, to_state=to, at=now)
            for callback in callbacks
        )
    for callback in callbacks:
        for name, value in fields.items():
            setattr(callback, name, value)
    notifications.changed(callbacks, from_state=from_state)
