"""The callback follows its contact-center interaction (callback.md §4.1), through the
contact center's per-source hooks (:mod:`apps.contactcenter.hooks`).

| interaction | callback |
|---|---|
| offered to an agent (agent reserved) | QUEUED -> ROUTING |
| accepted | ROUTING -> PROCESSING with ``_retain_session_until_ixn_deleted=true``, else stays ROUTING; the service's dialer starts (:mod:`apps.callback.dialer`) |
| rejected, offer timed out, withdrawn at logout | ROUTING -> QUEUED (our choice: it waits for the next agent) |
| completed | by its disposition, the dial outcome: see :func:`completed` |
| abandoned by anyone but the callback itself | COMPLETED/FAIL_ERROR: see :func:`abandoned` |

One function per interaction state (:data:`AGREE`) says what the callback becomes; the
hooks and the reconciliation pass both apply it, so there is one copy of that table.

Each hook runs inside the contact center's transaction and locks the callback's row
``SKIP LOCKED``: the callback's own writers (cancel, reschedule, outcome) lock the
callback before the agent and the interaction, the contact center the other way round,
so a hook never waits. A hook that meets a callback locked by another writer skips it,
and the callback then disagrees with its interaction (an outcome arriving during a PUT
would leave it PROCESSING until it expires). :func:`reconcile`, a beat task, finds such
callbacks and applies what the hook would have applied.
"""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from apps.callback import dialer, machine, selectors
from apps.callback.models import Callback, Reason, State
from apps.callback.services import CONNECTED, RETRIED_OUTCOMES, WRONG_NUMBER
from apps.callback.user_originated import USERORIGINATED
from apps.contactcenter import hooks
from apps.contactcenter.models import Interaction, InteractionState
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
# The callback states that follow an interaction.
FOLLOWING = (State.QUEUED, State.ROUTING, State.PROCESSING)
# Callbacks one reconciliation pass looks at, in one transaction.
RECONCILE_BATCH = 200


# --- what the callback becomes, by its interaction's state ---------------------------------


def offered(callback: Callback, interaction: Interaction, now: datetime) -> None:
    """An agent is reserved for the callback (§4.1 "agent reserved (agent-first)")."""
    if callback.state == State.QUEUED:
        machine.transition(callback, to=State.ROUTING, now=now)


def accepted(callback: Callback, interaction: Interaction, now: datetime) -> None:
    """The agent took it: ROUTING (its offer may have gone unseen), then PROCESSING when
    the session is retained."""
    offered(callback, interaction, now)
    if as_bool(callback.options.get(RETAIN_SESSION)) and callback.state == State.ROUTING:
        machine.transition(callback, to=State.PROCESSING, now=now)


def returned(callback: Callback, interaction: Interaction, now: datetime) -> None:
    """Rejected, offer timed out or withdrawn: the callback waits in its queue again."""
    if callback.state == State.ROUTING:
        machine.transition(callback, to=State.QUEUED, now=now)


def completed(callback: Callback, interaction: Interaction, now: datetime) -> None:
    """The dial outcome (the interaction's disposition) ends the callback (issue #5).

    CONNECTED -> COMPLETED/AGENT_CONNECTED (§4.1); NO_ANSWER/BUSY -> SCHEDULED again
    ``_dial_retry_timeout`` seconds after the completion while fewer than
    ``_max_dial_attempts`` dials were made, then COMPLETED/FAIL_CALL_TO_CUSTOMER;
    WRONG_NUMBER -> COMPLETED/FAIL_CALL_TO_CUSTOMER at once; the webhook dialer giving
    up -> COMPLETED/FAIL_ERROR. UNCONFIRMED (GMS dials in its workflow; outcome names
    and this mapping are our choice). A callback completed meanwhile (a cancel) keeps
    its state and reason.
    """
    if callback.state not in FOLLOWING:
        return
    outcome = interaction.disposition
    options = callback.options
    if outcome in RETRIED_OUTCOMES and selectors.dial_attempts(callback) < int(
        options.get("_max_dial_attempts", "3")
    ):
        wait = timedelta(seconds=int(options.get("_dial_retry_timeout", "300")))
        due_at = (interaction.completed_at or now) + wait
        machine.transition(callback, to=State.SCHEDULED, now=now, due_at=due_at)
        return
    reason = FINAL_REASONS.get(outcome, Reason.AGENT_CONNECTED)
    machine.transition(callback, to=State.COMPLETED, reason=reason, now=now)


def abandoned(callback: Callback, interaction: Interaction, now: datetime) -> None:
    """The interaction was abandoned while the callback still followed it.

    The callback's own withdraw (cancel, reschedule) abandons it only after moving the
    callback out of QUEUED/ROUTING, so this is another party dropping the work:
    COMPLETED/FAIL_ERROR, the callback cannot be served (UNCONFIRMED; our choice).
    """
    if callback.state in FOLLOWING:
        machine.transition(callback, to=State.COMPLETED, reason=Reason.FAIL_ERROR, now=now)


AGREE: dict[str, Callable[[Callback, Interaction, datetime], None]] = {
    InteractionState.OFFERED: offered,
    InteractionState.ACCEPTED: accepted,
    InteractionState.QUEUED: returned,
    InteractionState.COMPLETED: completed,
    InteractionState.ABANDONED: abandoned,
}


# --- the hooks ------------------------------------------------------------------------------


def _locked(interaction: Interaction) -> Callback | None:
    """The interaction's callback, row-locked, or None when another writer holds it."""
    return (
        Callback.objects.select_for_update(skip_locked=True)
        .filter(pk=interaction.source_id)
        .first()
    )


def follow(interaction: Interaction, now: datetime) -> Callback | None:
    """The hook: the callback (row-locked) follows its interaction's new state; it is
    returned, or None when another writer holds it (:func:`reconcile` catches up)."""
    callback = _locked(interaction)
    if callback is not None:
        AGREE[interaction.state](callback, interaction, now)
    return callback


def on_accepted(interaction: Interaction, now: datetime) -> None:
    """:func:`follow`, and the service's dialer starts, unless the customer called in
    (a matched USERORIGINATED call is already connected).

    The dialer is chosen from a plain read when the row is held by another writer: the
    dial task checks the callback again before it sends anything.
    """
    callback = follow(interaction, now)
    if interaction.user_data.get("_call_direction") == USERORIGINATED:
        return
    if callback is None:
        callback = Callback.objects.filter(pk=interaction.source_id).first()
    if callback is not None and callback.state != State.COMPLETED:
        dialer.dialer_for(callback).dial(callback, interaction)


def register() -> None:
    """Called once from CallbackConfig.ready()."""
    for event in (
        hooks.Event.OFFERED,
        hooks.Event.RETURNED,
        hooks.Event.COMPLETED,
        hooks.Event.ABANDONED,
    ):
        hooks.register(SOURCE, event, follow)
    hooks.register(SOURCE, hooks.Event.ACCEPTED, on_accepted)


# --- reconciliation ---------------------------------------------------------------------------

# Callback state x its latest interaction's state, where AGREE changes the callback.
DISAGREEING = (
    Q(
        state=State.QUEUED,
        interaction_state__in=[
            InteractionState.OFFERED,
            InteractionState.ACCEPTED,
            InteractionState.COMPLETED,
            InteractionState.ABANDONED,
        ],
    )
    | Q(
        state=State.ROUTING,
        interaction_state__in=[
            InteractionState.QUEUED,
            InteractionState.COMPLETED,
            InteractionState.ABANDONED,
        ],
    )
    | Q(
        state=State.ROUTING,
        interaction_state=InteractionState.ACCEPTED,
        **{f"options__{RETAIN_SESSION}": "true"},  # as CallbackOptions.snapshot stores it
    )
    | Q(
        state=State.PROCESSING,
        interaction_state__in=[InteractionState.COMPLETED, InteractionState.ABANDONED],
    )
)


def reconcile(*, now: datetime, limit: int = RECONCILE_BATCH) -> list[str]:
    """Apply to callbacks that disagree with their latest interaction what the skipped
    hook would have applied (:data:`AGREE`); the ids of those changed.

    One transaction of at most ``limit`` callbacks, oldest change first. Callbacks and
    interactions are locked ``SKIP LOCKED``: one held by a writer is left to the next
    pass, and the pass never waits, whatever order the others lock in. Idempotent: a
    callback that agrees is not selected, and AGREE changes nothing twice.
    """
    latest = Interaction.objects.filter(source=SOURCE, source_id=OuterRef("pk")).order_by("-id")
    changed: list[str] = []
    with transaction.atomic():
        callbacks = list(
            Callback.objects.select_for_update(skip_locked=True)
            .annotate(
                interaction_id=Subquery(latest.values("pk")[:1]),
                interaction_state=Subquery(latest.values("state")[:1]),
            )
            .filter(DISAGREEING)
            .order_by("updated_at")[:limit]
        )
        interactions = Interaction.objects.select_for_update(skip_locked=True).in_bulk(
            [callback.interaction_id for callback in callbacks]
        )
        for callback in callbacks:
            interaction = interactions.get(callback.interaction_id)
            # None: a contact-center writer holds it (the next pass sees what it did). The
            # state read under the lock may have moved on to one no hook follows (WITHDRAWN).
            agree = AGREE.get(interaction.state) if interaction is not None else None
            if agree is None:
                continue
            before = callback.state
            agree(callback, interaction, now)
            if callback.state != before:
                changed.append(callback.pk)
    return changed


@register_validator("service:callback")
def validate_lifecycle(name: str, options: Options) -> Iterable[tuple[str, str]]:
    yield from check_bool(options, RETAIN_SESSION)
