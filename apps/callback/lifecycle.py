"""The callback follows its contact-center interaction (callback.md §4.1), through the
contact center's per-source hooks (:mod:`apps.contactcenter.hooks`).

| interaction | callback |
|---|---|
| offered to an agent (agent reserved) | QUEUED -> ROUTING |
| accepted | ROUTING -> PROCESSING with ``_retain_session_until_ixn_deleted=true``, else stays ROUTING; the service's dialer starts (:mod:`apps.callback.dialer`) |
| rejected, offer timed out, withdrawn at logout | ROUTING -> QUEUED (our choice: it waits for the next agent) |
| completed | by its disposition, the dial outcome: see :func:`on_completed` |

Each handler runs inside the contact center's transaction and locks the callback's row
``SKIP LOCKED``: the callback's own writers (cancel, reschedule, outcome) lock the
callback before the agent and the interaction, the contact center the other way round,
so a handler never waits. A callback locked by another writer is left to that writer,
which settles the interaction itself (a cancel withdraws it; the agent's outcome or
the dialer completes accepted work of a callback cancelled meanwhile).
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from apps.callback import dialer, machine, selectors
from apps.callback.models import Callback, Reason, State
from apps.callback.services import CONNECTED, RETRIED_OUTCOMES, WRONG_NUMBER
from apps.contactcenter import hooks
from apps.contactcenter.models import Interaction
from apps.core.config import Options, as_bool, check_bool, register_validator

SOURCE = "callback"
RETAIN_SESSION = "_retain_session_until_ixn_deleted"
# How a completed interaction's disposition ends its callback. Any other disposition
# (the agent completed the work without a dial outcome) counts as CONNECTED: an agent
# took the callback (our choice; UNCONFIRMED, GMS decides this in its workflow).
FINAL_REASONS = {
    CONNECTED: Reason.AGENT_CONNECTED,
    **dict.fromkeys((*RETRIED_OUTCOMES, WRONG_NUMBER), Reason.FAIL_CALL_TO_CUSTOMER),
    dialer.DIAL_FAILED: Reason.FAIL_ERROR,  # the webhook dialer gave up (§4.2)
}


def _locked(interaction: Interaction) -> Callback | None:
    """The interaction's callback, row-locked, or None when another writer holds it."""
    return (
        Callback.objects.select_for_update(skip_locked=True)
        .filter(pk=interaction.source_id)
        .first()
    )


def on_offered(interaction: Interaction, now: datetime) -> None:
    """An agent is reserved for the callback (§4.1 "agent reserved (agent-first)")."""
    callback = _locked(interaction)
    if callback is not None and callback.state == State.QUEUED:
        machine.transition(callback, to=State.ROUTING, now=now)


def on_accepted(interaction: Interaction, now: datetime) -> None:
    """The agent takes it: PROCESSING when the session is retained, and the dialer starts.

    The dialer is chosen from a plain read when the row is held by another writer: the
    dial task checks the callback again before it sends anything.
    """
    callback = _locked(interaction)
    if callback is not None:
        retained = as_bool(callback.options.get(RETAIN_SESSION))
        if callback.state == State.QUEUED:  # its offer was seen while another writer held it
            machine.transition(callback, to=State.ROUTING, now=now)
        if retained and callback.state == State.ROUTING:
            machine.transition(callback, to=State.PROCESSING, now=now)
    else:
        callback = Callback.objects.filter(pk=interaction.source_id).first()
    if callback is not None and callback.state != State.COMPLETED:
        dialer.dialer_for(callback).dial(callback, interaction)


def on_returned(interaction: Interaction, now: datetime) -> None:
    """Rejected, offer timed out or withdrawn: the callback waits in its queue again."""
    callback = _locked(interaction)
    if callback is not None and callback.state == State.ROUTING:
        machine.transition(callback, to=State.QUEUED, now=now)


def on_completed(interaction: Interaction, now: datetime) -> None:
    """The dial outcome (the interaction's disposition) ends the callback (issue #5).

    CONNECTED -> COMPLETED/AGENT_CONNECTED (§4.1); NO_ANSWER/BUSY -> SCHEDULED again
    ``_dial_retry_timeout`` seconds later while fewer than ``_max_dial_attempts`` dials
    were made, then COMPLETED/FAIL_CALL_TO_CUSTOMER; WRONG_NUMBER ->
    COMPLETED/FAIL_CALL_TO_CUSTOMER at once; the webhook dialer giving up ->
    COMPLETED/FAIL_ERROR. UNCONFIRMED (GMS dials in its workflow; outcome names and
    this mapping are our choice). A callback completed meanwhile (a cancel) keeps its
    state and reason.
    """
    callback = _locked(interaction)
    if callback is None or callback.state not in (State.QUEUED, State.ROUTING, State.PROCESSING):
        return
    outcome = interaction.disposition
    options = callback.options
    if outcome in RETRIED_OUTCOMES and selectors.dial_attempts(callback) < int(
        options.get("_max_dial_attempts", "3")
    ):
        wait = timedelta(seconds=int(options.get("_dial_retry_timeout", "300")))
        machine.transition(callback, to=State.SCHEDULED, now=now, due_at=now + wait)
        return
    reason = FINAL_REASONS.get(outcome, Reason.AGENT_CONNECTED)
    machine.transition(callback, to=State.COMPLETED, reason=reason, now=now)


def register() -> None:
    """Called once from CallbackConfig.ready()."""
    hooks.register(SOURCE, hooks.Event.OFFERED, on_offered)
    hooks.register(SOURCE, hooks.Event.ACCEPTED, on_accepted)
    hooks.register(SOURCE, hooks.Event.RETURNED, on_returned)
    hooks.register(SOURCE, hooks.Event.COMPLETED, on_completed)


@register_validator("service:callback")
def validate_lifecycle(name: str, options: Options) -> Iterable[tuple[str, str]]:
    yield from check_bool(options, RETAIN_SESSION)
