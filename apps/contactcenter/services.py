"""Every write of the contact center: queuing, routing, agent states and the life of interactions.

Each function is one transaction (routing: one per offer) that changes a
state, appends its :class:`InteractionEvent` and updates the counters
(``QueueStats``, ``AgentCapacity.load``) together, so they can never disagree.
After the commit it publishes through :mod:`apps.contactcenter.realtime` and,
when work was queued or an agent got capacity back, runs :func:`route`.
The app that made an interaction (its ``source``) follows each offer, accept,
return to the queue, completion and abandon through :mod:`apps.contactcenter.hooks`,
inside the same transaction.

**Routing** offers the highest-priority, then oldest, queued interaction to the
longest-idle READY agent serving its queue with capacity left for its media.
Exactly once under concurrency, on two layers:

* locks: ``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, so concurrent
  routers take different interactions; the chosen agent's row is locked by
  ``UPDATE ... SET idle_since WHERE state = 'READY'`` (waiting for whoever
  holds it, then checking READY again), inside a savepoint that is rolled back,
  releasing the lock, when that agent cannot take the work;
* conditional UPDATEs that hold without locks: a slot is taken by
  ``load = load + 1 WHERE load < capacity``, an interaction is offered by
  ``WHERE state = 'queued'``; either answering 0 rows undoes the offer.

On SQLite (one writer, IMMEDIATE transactions) the same code is serialised.

**Lock order**, to stay free of deadlocks: a router takes a *queued*
interaction, then one agent at a time; every other write takes the agent
first, then interactions assigned to that agent; then capacity rows, then
queue counters.

**Agent choices** (documented behaviour):

* an offer not accepted within ``GMS_OFFER_TIMEOUT_SECONDS`` (30) goes back to
  the queue with its priority and original ``queued_at``, and its agent is set
  NOT_READY (an absent agent should not keep receiving work, as ACDs do with
  "redirect on no answer");
* a rejected offer goes back the same way and the agent is set NOT_READY too:
  the agent is not offered the same interaction again at once, and nothing is
  stranded (when the agent comes back READY, it may be offered again);
* NOT_READY stops new offers only: pending offers and accepted work go on;
* logging out withdraws pending offers (back to the queue) and is refused
  (409) while the agent has accepted work: complete it first;
* a customer who leaves abandons a queued or offered interaction; accepted
  work is ended by its agent with :func:`complete`;
* the app that made queued work may take it back with :func:`withdraw` (a paused
  callback service): WITHDRAWN, counted apart from abandoned work.
"""

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone

from apps.contactcenter import hooks, selectors
from apps.contactcenter.models import (
    HELD_STATES,
    MAX_NAME_LENGTH,
    MAX_PRIORITY,
    AgentCapacity,
    AgentProfile,
    AgentState,
    EventKind,
    Interaction,
    InteractionEvent,
    InteractionState,
    Media,
    QueueStats,
    VirtualQueue,
    user_data_problem,
)
from apps.contactcenter.realtime import Outbox
from apps.contactcenter.serializers import InteractionSerializer
from apps.core.errors import BadRequest, GMSError
from apps.core.text import is_storable_text
from apps.core.times import format_utc

DEFAULT_OFFER_TIMEOUT_SECONDS = 30
# Weight of the newest handle time in the queue's average: about the last 20 count.
HANDLE_TIME_SMOOTHING = 0.1
# READY agents read at once while routing a (queue, media) pair: few at first (most passes
# offer one interaction), more once a pass proves to have a backlog.
FIRST_AGENT_BATCH = 4
AGENT_BATCH = 50
# Attempts at locking an interaction and its agent before answering 409.
LOCK_ATTEMPTS = 5


class InvalidTransition(GMSError):
    """The interaction or agent is not in a state that allows this (HTTP 409)."""

    status_code = 409


class _Retry(Exception):
    """The rows moved between reading and updating them: roll back and try again."""


class _NoSlot(Exception):
    """This agent is no longer READY or has no free slot for the media."""


def offer_timeout() -> timedelta:
    seconds = getattr(settings, "GMS_OFFER_TIMEOUT_SECONDS", DEFAULT_OFFER_TIMEOUT_SECONDS)
    return timedelta(seconds=seconds)


# --- queues ------------------------------------------------------------------------


def _queue_name_problem(name: str) -> str | None:
    if not name or len(name) > MAX_NAME_LENGTH or not is_storable_text(name):
        return f"A queue name has 1 to {MAX_NAME_LENGTH} storable characters"
    return None


def _queue_named(name: str) -> VirtualQueue:
    """The queue of that name, created (with its counters) on first use."""
    problem = _queue_name_problem(name)
    if problem:
        raise BadRequest(problem)
    queue = VirtualQueue.objects.filter(name=name).first()
    if queue is not None:
        return queue
    try:
        with transaction.atomic():
            return VirtualQueue.objects.create(name=name)
    except IntegrityError:  # another process created it meanwhile
        return VirtualQueue.objects.get(name=name)


def _count(queue_id: int, **deltas: int) -> None:
    QueueStats.objects.filter(pk=queue_id).update(
        **{name: F(name) + delta for name, delta in deltas.items()}
    )


# --- interactions ---------------------------------------------------------------------


@dataclass(frozen=True)
class NewWork:
    """One interaction to queue (:func:`enqueue_many`).

    ``source``/``source_id`` name what made the work (``"chat"`` and the chat id,
    ``"callback"`` and the callback id ...), for :func:`selectors.find_by_source`.
    """

    media: str
    queue_name: str
    priority: int = 0
    user_data: Mapping = field(default_factory=dict)
    source: str = ""
    source_id: str = ""


def _work_problem(work: NewWork) -> str | None:
    """Why the contact center refuses this work (a 400), or None."""
    if work.media not in Media.values:
        return f"Unknown media {work.media!r}; one of {', '.join(Media.values)}"
    if not -MAX_PRIORITY <= work.priority <= MAX_PRIORITY:
        return f"A priority lies between -{MAX_PRIORITY} and {MAX_PRIORITY}"
    for text in (work.source, work.source_id):
        if len(text) > MAX_NAME_LENGTH or not is_storable_text(text):
            return f"source and source_id hold at most {MAX_NAME_LENGTH} characters"
    problem = user_data_problem(dict(work.user_data))
    if problem:
        return f"user_data {problem}"
    return _queue_name_problem(work.queue_name)


def enqueue(
    *,
    media: str,
    queue_name: str,
    priority: int = 0,
    user_data: Mapping | None = None,
    source: str = "",
    source_id: str = "",
    now: datetime | None = None,
) -> Interaction:
    """Put new work in a virtual queue (created on first use); routing runs after the commit.

    :func:`enqueue_many` for one piece of work; a refusal is raised (BadRequest).
    """
    work = NewWork(
        media=media,
        queue_name=queue_name,
        priority=priority,
        user_data=user_data or {},
        source=source,
        source_id=source_id,
    )
    (queued,) = enqueue_many(work=[work], now=now)
    if isinstance(queued, BadRequest):
        raise queued
    return queued


def enqueue_many(
    *, work: Sequence[NewWork], now: datetime | None = None
) -> list[Interaction | BadRequest]:
    """Queue many pieces of work in one transaction: for each, its interaction or its refusal.

    The accepted ones cost one INSERT of interactions, one of their QUEUED events and
    one counter UPDATE per queue, whatever their number; their realtime messages go out
    and each queue is routed once, after the commit. A refused piece (bad media,
    priority, source, user data or queue name) takes nothing from the others: its
    place in the answer holds the BadRequest :func:`enqueue` would raise.
    """
    now = now or timezone.now()
    results: list[Interaction | BadRequest] = []
    with transaction.atomic():
        queues: dict[str, VirtualQueue] = {}
        for item in work:
            problem = _work_problem(item)
            if problem:
                results.append(BadRequest(problem))
                continue
            if item.queue_name not in queues:
                queues[item.queue_name] = _queue_named(item.queue_name)
            results.append(
                Interaction(
                    media=item.media,
                    queue=queues[item.queue_name],
                    priority=item.priority,
                    user_data=dict(item.user_data),
                    source=item.source,
                    source_id=item.source_id,
                    queued_at=now,
                )
            )
        queued = Interaction.objects.bulk_create(
            [result for result in results if isinstance(result, Interaction)]
        )
        InteractionEvent.objects.bulk_create(
            InteractionEvent(
                interaction=interaction,
                kind=EventKind.QUEUED,
                at=now,
                details={"priority": interaction.priority},
            )
            for interaction in queued
        )
        for queue in queues.values():
            in_queue = [interaction for interaction in queued if interaction.queue_id == queue.pk]
            _count(queue.pk, waiting=len(in_queue), entered=len(in_queue))
            outbox = Outbox()
            for interaction in in_queue:
                outbox.to_queue(queue.pk, _queue_event(interaction, EventKind.QUEUED, now))
            _after_commit(outbox, route_queue=queue.name)
    return results


def route(*, queue_name: str | None = None, now: datetime | None = None) -> list[Interaction]:
    """Offer queued work to free agents until nothing more can be offered; returns the offers.

    One transaction per offer. ``queue_name`` limits the pass to one queue.
    The READY agents of a (queue, media) pair are read once, longest idle
    first, and offered work in that order through the pass (each is checked
    again under its lock), then read again; a pair no agent can take is
    skipped for the rest of the pass, so a long queue of unroutable work costs
    one query, not one per interaction.
    """
    queue_id = None
    if queue_name is not None:
        queue_id = VirtualQueue.objects.filter(name=queue_name).values_list("pk", flat=True).first()
        if queue_id is None:
            return []
    offers: list[Interaction] = []
    blocked: set[tuple[int, str]] = set()
    lines: dict[tuple[int, str], _Line] = {}
    while True:
        outbox = Outbox()
        try:
            with transaction.atomic():
                interaction = _next_queued(queue_id, blocked)
                if interaction is None:
                    return offers
                pair = (interaction.queue_id, interaction.media)
                when = now or timezone.now()
                agent = _take_slot(interaction, lines.setdefault(pair, _Line()), when)
                if agent is None:
                    blocked.add(pair)
                    continue
                _offer(outbox, interaction, agent, when)
                offers.append(interaction)
                _after_commit(outbox)
        except _Retry:
            continue


def _next_queued(queue_id: int | None, blocked: Iterable[tuple[int, str]]) -> Interaction | None:
    """Lock the first queued interaction in routing order that no other router holds."""
    candidates = Interaction.objects.filter(state=InteractionState.QUEUED)
    if queue_id is not None:
        candidates = candidates.filter(queue_id=queue_id)
    for blocked_queue, media in blocked:
        candidates = candidates.exclude(queue_id=blocked_queue, media=media)
    return (
        candidates.select_related("queue")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("-priority", "queued_at", "id")
        .first()
    )


@dataclass
class _Line:
    """The eligible READY agents of one (queue, media) pair, longest idle first, as last read."""

    agents: list[AgentProfile] = field(default_factory=list)
    reads: int = 0


def _take_slot(interaction: Interaction, line: _Line, now: datetime) -> AgentProfile | None:
    """Take a slot of the first agent in ``line`` that can still take the work.

    The line is read again when it runs out; None means nobody can take the work now.
    """
    tried: set[int] = set()
    while True:
        if not line.agents:
            limit = AGENT_BATCH if line.reads else FIRST_AGENT_BATCH
            line.agents.extend(_eligible_agents(interaction, exclude=tried, limit=limit))
            line.reads += 1
            if not line.agents:
                return None
        agent = line.agents.pop(0)
        tried.add(agent.pk)
        try:
            # A savepoint: rolling it back unlocks an agent that cannot take the work,
            # so no router holds one agent while it waits for another.
            with transaction.atomic():
                _lock_slot(agent, interaction.media, now)
        except _NoSlot:
            continue
        return agent


def _eligible_agents(
    interaction: Interaction, *, exclude: set[int], limit: int
) -> list[AgentProfile]:
    free = AgentCapacity.objects.filter(
        agent=OuterRef("pk"), media=interaction.media, load__lt=F("capacity")
    )
    return list(
        AgentProfile.objects.filter(
            selectors.serving(interaction.queue_id), Exists(free), state=AgentState.READY
        )
        .exclude(pk__in=exclude)
        .select_related("user")
        .order_by("idle_since", "pk")[:limit]
    )


def _lock_slot(agent: AgentProfile, media: str, now: datetime) -> None:
    """Lock the agent if still READY (its offer moves ``idle_since``), then take a free slot.

    Both are conditional UPDATEs: the first waits for whoever holds the agent and
    checks READY again; the second cannot fill a slot that is not free.
    """
    if not AgentProfile.objects.filter(pk=agent.pk, state=AgentState.READY).update(idle_since=now):
        raise _NoSlot
    taken = AgentCapacity.objects.filter(
        agent_id=agent.pk, media=media, load__lt=F("capacity")
    ).update(load=F("load") + 1)
    if not taken:
        raise _NoSlot
    agent.idle_since = now


def _offer(outbox: Outbox, interaction: Interaction, agent: AgentProfile, now: datetime) -> None:
    """Offer a locked queued interaction to an agent whose slot is taken."""
    expires = now + offer_timeout()
    offered = Interaction.objects.filter(pk=interaction.pk, state=InteractionState.QUEUED).update(
        state=InteractionState.OFFERED, agent=agent, offered_at=now, offer_expires_at=expires
    )
    if offered != 1:
        raise _Retry  # taken by someone else: the rollback gives the slot back
    interaction.state, interaction.agent = InteractionState.OFFERED, agent
    interaction.offered_at, interaction.offer_expires_at = now, expires
    _count(interaction.queue_id, waiting=-1, offered=1)
    hooks.notify(hooks.Event.OFFERED, interaction, now)
    _record(
        outbox,
        interaction,
        EventKind.OFFERED,
        now,
        agent=agent,
        details={"expiresAt": format_utc(expires)},
    )


def accept(
    *, interaction: Interaction, agent: AgentProfile, now: datetime | None = None
) -> Interaction:
    """The offered agent takes the work, before the offer expires."""
    now = now or timezone.now()
    change = _changing(interaction, agent, {InteractionState.OFFERED}, ", not offered to you")
    with change as (outbox, agent, interaction):
        if now >= interaction.offer_expires_at:
            raise InvalidTransition(f"The offer of interaction {interaction.pk} has expired")
        waited = (now - interaction.queued_at).total_seconds()
        in_level = waited <= interaction.queue.service_level_seconds
        interaction.state, interaction.accepted_at = InteractionState.ACCEPTED, now
        interaction.save(update_fields=["state", "accepted_at"])
        hooks.notify(hooks.Event.ACCEPTED, interaction, now)
        _count(
            interaction.queue_id,
            offered=-1,
            active=1,
            answered=1,
            answered_in_service_level=int(in_level),
        )
        _record(
            outbox,
            interaction,
            EventKind.ACCEPTED,
            now,
            agent=agent,
            details={"waitedSeconds": waited},
        )
        _after_commit(outbox)
    return interaction


def reject(
    *, interaction: Interaction, agent: AgentProfile, now: datetime | None = None
) -> Interaction:
    """The offered agent declines: the work goes back to the queue, the agent to NOT_READY."""
    now = now or timezone.now()
    change = _changing(interaction, agent, {InteractionState.OFFERED}, ", not offered to you")
    with change as (outbox, agent, interaction):
        _return_to_queue(outbox, interaction, agent, EventKind.REJECTED, now, not_ready=True)
        _after_commit(outbox, route_queue=interaction.queue.name)
    return interaction


def complete(
    *,
    interaction: Interaction,
    agent: AgentProfile,
    disposition: str = "",
    now: datetime | None = None,
) -> Interaction:
    """The agent is done: record the outcome and handle time, and free the slot."""
    _require_note(disposition, "disposition")
    now = now or timezone.now()
    change = _changing(interaction, agent, {InteractionState.ACCEPTED}, ", not accepted by you")
    with change as (outbox, agent, interaction):
        handled = max((now - interaction.accepted_at).total_seconds(), 0.0)
        interaction.state, interaction.completed_at = InteractionState.COMPLETED, now
        interaction.disposition = disposition
        interaction.save(update_fields=["state", "completed_at", "disposition"])
        hooks.notify(hooks.Event.COMPLETED, interaction, now)
        _release_slot(agent, interaction.media, now)
        # One UPDATE: the CASE reads the counters as they were before it.
        QueueStats.objects.filter(pk=interaction.queue_id).update(
            active=F("active") - 1,
            completed=F("completed") + 1,
            handle_seconds_total=F("handle_seconds_total") + handled,
            average_handle_seconds=Case(
                When(completed=0, then=Value(handled)),
                default=F("average_handle_seconds")
                + HANDLE_TIME_SMOOTHING * (Value(handled) - F("average_handle_seconds")),
            ),
        )
        _record(
            outbox,
            interaction,
            EventKind.COMPLETED,
            now,
            agent=agent,
            details={"disposition": disposition, "handleSeconds": handled},
        )
        _after_commit(outbox, route_all=True)
    return interaction


def abandon(
    *, interaction: Interaction, reason: str = "", now: datetime | None = None
) -> Interaction:
    """The customer left while the work waited or was being offered (``reason`` is kept)."""
    _require_note(reason, "reason")
    now = now or timezone.now()
    with _changing(
        interaction,
        None,
        {InteractionState.QUEUED, InteractionState.OFFERED},
        "; only queued or offered work can be abandoned",
    ) as (outbox, agent, interaction):
        interaction.state, interaction.abandoned_at = InteractionState.ABANDONED, now
        interaction.agent = None
        interaction.offered_at = interaction.offer_expires_at = None
        interaction.save(
            update_fields=["state", "abandoned_at", "agent", "offered_at", "offer_expires_at"]
        )
        hooks.notify(hooks.Event.ABANDONED, interaction, now)
        if agent is not None:  # it was offered: the agent gets the slot back
            _release_slot(agent, interaction.media, now)
            _count(interaction.queue_id, offered=-1, abandoned=1)
        else:
            _count(interaction.queue_id, waiting=-1, abandoned=1)
        _record(
            outbox, interaction, EventKind.ABANDONED, now, agent=agent, details={"reason": reason}
        )
        _after_commit(outbox, route_all=agent is not None)
    return interaction


def withdraw(
    *, interaction: Interaction, reason: str = "", now: datetime | None = None
) -> Interaction:
    """The app that made waiting work takes it back (a callback whose service is paused).

    Only queued work: an offer or accepted work belongs to an agent already. It ends
    WITHDRAWN, counted apart (``QueueStats.withdrawn``), not abandoned: the customer did
    not leave, so the service level and abandon figures do not move. The source asked
    for it itself, so no hook is called; work it wants handled later is queued anew.
    """
    _require_note(reason, "reason")
    now = now or timezone.now()
    with _changing(
        interaction, None, {InteractionState.QUEUED}, "; only queued work can be withdrawn"
    ) as (outbox, _, interaction):
        interaction.state = InteractionState.WITHDRAWN
        interaction.save(update_fields=["state"])
        _count(interaction.queue_id, waiting=-1, withdrawn=1)
        _record(outbox, interaction, EventKind.WITHDRAWN, now, details={"reason": reason})
        _after_commit(outbox)
    return interaction


def expire_offers(*, now: datetime | None = None) -> list[Interaction]:
    """Send every offer past its expiry back to the queue and set its agent NOT_READY."""
    now = now or timezone.now()
    due = Interaction.objects.filter(
        state=InteractionState.OFFERED, offer_expires_at__lte=now
    ).values_list("pk", "agent_id")
    expired = []
    for interaction_id, agent_id in list(due):
        outbox = Outbox()
        with transaction.atomic():
            agent = _locked_agent(agent_id)
            interaction = (
                Interaction.objects.select_for_update(of=("self",))
                .select_related("queue")
                .filter(
                    pk=interaction_id,
                    state=InteractionState.OFFERED,
                    agent=agent,
                    offer_expires_at__lte=now,
                )
                .first()
            )
            if interaction is None:  # accepted, rejected or abandoned meanwhile
                continue
            _return_to_queue(
                outbox, interaction, agent, EventKind.OFFER_TIMED_OUT, now, not_ready=True
            )
            _after_commit(outbox, route_queue=interaction.queue.name)
            expired.append(interaction)
    return expired


def _lock(
    interaction: Interaction, agent: AgentProfile | None
) -> tuple[AgentProfile | None, Interaction]:
    """Lock the agent, then the interaction: the lock order of every write but routing.

    With no agent given, the interaction's current agent is locked; if the
    interaction changes hands between the read and the lock, try again.
    """
    for _ in range(LOCK_ATTEMPTS):
        agent_id = (
            agent.pk
            if agent
            else Interaction.objects.filter(pk=interaction.pk)
            .values_list("agent_id", flat=True)
            .first()
        )
        locked_agent = _locked_agent(agent_id) if agent_id is not None else None
        locked = (
            Interaction.objects.select_for_update(of=("self",))
            .select_related("queue", "agent__user")
            .get(pk=interaction.pk)
        )
        if agent is not None or locked.agent_id == agent_id:
            return locked_agent, locked
    raise InvalidTransition(f"Interaction {interaction.pk} is changing hands; try again")


def _locked_agent(agent_id: int) -> AgentProfile:
    """The agent's row, locked until the transaction ends (its user only read)."""
    return (
        AgentProfile.objects.select_for_update(of=("self",)).select_related("user").get(pk=agent_id)
    )


def _require_note(text: str, name: str) -> None:
    """A disposition or reason is kept with the work's history: short storable text, or 400."""
    if len(text) > MAX_NAME_LENGTH or not is_storable_text(text):
        raise BadRequest(f"A {name} holds at most {MAX_NAME_LENGTH} storable characters")


@contextmanager
def _changing(
    interaction: Interaction, agent: AgentProfile | None, states: Collection[str], refusal: str
) -> Iterator[tuple[Outbox, AgentProfile | None, Interaction]]:
    """The transaction of a change to one interaction, and its checks.

    Locks the agent, then the interaction (:func:`_lock`), and refuses the change
    (409, "Interaction {id} is {state}" + ``refusal``) unless the interaction is in
    one of ``states`` and, when ``agent`` is given, held by that agent. Yields the
    outbox, the locked agent (the interaction's own when none is given) and the
    locked interaction; the change and its ``_after_commit`` go in the block.
    """
    outbox = Outbox()
    with transaction.atomic():
        locked_agent, locked = _lock(interaction, agent)
        if locked.state not in states or (agent is not None and locked.agent_id != agent.pk):
            raise InvalidTransition(f"Interaction {locked.pk} is {locked.state}{refusal}")
        yield outbox, locked_agent, locked


def _return_to_queue(
    outbox: Outbox,
    interaction: Interaction,
    agent: AgentProfile,
    kind: str,
    now: datetime,
    *,
    not_ready: bool,
) -> None:
    """An offer ends unanswered: the work waits again with its priority and original age."""
    interaction.state, interaction.agent = InteractionState.QUEUED, None
    interaction.offered_at = interaction.offer_expires_at = None
    interaction.save(update_fields=["state", "agent", "offered_at", "offer_expires_at"])
    hooks.notify(hooks.Event.RETURNED, interaction, now)
    _release_slot(agent, interaction.media, now)
    if not_ready and agent.state == AgentState.READY:
        _change_state(outbox, agent, AgentState.NOT_READY, now, reason=kind)
    _count(interaction.queue_id, offered=-1, waiting=1)
    _record(outbox, interaction, kind, now, agent=agent)


def _release_slot(agent: AgentProfile, media: str, now: datetime) -> None:
    AgentCapacity.objects.filter(agent=agent, media=media).update(load=F("load") - 1)
    AgentProfile.objects.filter(pk=agent.pk).update(idle_since=now)


# --- agents --------------------------------------------------------------------------------


def register_agent(
    *, user, capacity: Mapping[str, int] | None = None, queue_names: Iterable[str] | None = None
) -> AgentProfile:
    """Make ``user`` an agent, or change an agent's capacity and queues (None keeps them).

    Capacity not named keeps its value (a new agent starts from ``DEFAULT_CAPACITY``).
    Lowering it below the current load takes nothing away: the agent gets no
    more of that media until the load falls under the new capacity.
    """
    capacity = dict(capacity or {})
    for media, value in capacity.items():
        if media not in Media.values:
            raise BadRequest(f"Unknown media {media!r}; one of {', '.join(Media.values)}")
        if not isinstance(value, int) or value < 0:
            raise BadRequest(f"The capacity for {media} is a whole number ≥ 0")
    with transaction.atomic():
        agent, _ = AgentProfile.objects.get_or_create(user=user)
        agent = _locked_agent(agent.pk)
        for media, value in capacity.items():
            AgentCapacity.objects.filter(agent=agent, media=media).update(capacity=value)
        if queue_names is not None:
            agent.queues.set([_queue_named(name) for name in queue_names])
        _after_commit(Outbox(), route_all=True)
    return agent


def login(*, agent: AgentProfile, now: datetime | None = None) -> AgentProfile:
    """A logged-out agent starts NOT_READY, as on an ACD; logging in again changes nothing."""
    return _set_state(agent, AgentState.NOT_READY, now, allowed_from={AgentState.LOGGED_OUT})


def set_ready(*, agent: AgentProfile, now: datetime | None = None) -> AgentProfile:
    """The agent takes new work; routing runs after the commit."""
    return _set_state(agent, AgentState.READY, now, allowed_from={AgentState.NOT_READY})


def set_not_ready(*, agent: AgentProfile, now: datetime | None = None) -> AgentProfile:
    """No new offers; pending offers and accepted work go on."""
    return _set_state(agent, AgentState.NOT_READY, now, allowed_from={AgentState.READY})


def logout(*, agent: AgentProfile, now: datetime | None = None) -> AgentProfile:
    """Withdraw pending offers (back to the queue) and log out; refused while work is accepted."""
    now = now or timezone.now()
    outbox = Outbox()
    with transaction.atomic():
        agent = _locked_agent(agent.pk)
        if agent.state == AgentState.LOGGED_OUT:
            return agent
        held = list(
            Interaction.objects.select_for_update(of=("self",))
            .select_related("queue")
            .filter(agent=agent, state__in=HELD_STATES)
            .order_by("id")
        )
        accepted = sum(i.state == InteractionState.ACCEPTED for i in held)
        if accepted:
            raise InvalidTransition(
                f"Complete your {accepted} accepted interaction(s) before logging out"
            )
        for interaction in held:
            _return_to_queue(
                outbox, interaction, agent, EventKind.OFFER_WITHDRAWN, now, not_ready=False
            )
        _change_state(outbox, agent, AgentState.LOGGED_OUT, now)
        _after_commit(outbox, route_all=bool(held))
    return agent


def _set_state(
    agent: AgentProfile, state: str, now: datetime | None, *, allowed_from: set[str]
) -> AgentProfile:
    now = now or timezone.now()
    outbox = Outbox()
    with transaction.atomic():
        agent = _locked_agent(agent.pk)
        if agent.state == state:
            return agent
        if agent.state not in allowed_from:
            raise InvalidTransition(
                "Log in first"
                if agent.state == AgentState.LOGGED_OUT
                else f"An agent who is {agent.state} cannot become {state}"
            )
        _change_state(outbox, agent, state, now)
        _after_commit(outbox, route_all=state == AgentState.READY)
    return agent


def _change_state(
    outbox: Outbox, agent: AgentProfile, state: str, now: datetime, *, reason: str = ""
) -> None:
    """Store the agent's chosen state; its desk hears of it (with load) after the commit."""
    agent.state, agent.state_since = state, now
    fields = ["state", "state_since"]
    if state == AgentState.READY:
        agent.idle_since = now
        fields.append("idle_since")
    agent.save(update_fields=fields)
    outbox.agent_state(agent, {"kind": "state", "at": format_utc(now), "reason": reason})


# --- history and after-commit work ----------------------------------------------------------------


def _record(
    outbox: Outbox,
    interaction: Interaction,
    kind: str,
    now: datetime,
    *,
    agent: AgentProfile | None = None,
    details: dict | None = None,
) -> None:
    """Append the event, and queue its realtime messages for the agent and the queue."""
    InteractionEvent.objects.create(
        interaction=interaction, kind=kind, at=now, agent=agent, details=details or {}
    )
    outbox.to_queue(interaction.queue_id, _queue_event(interaction, kind, now))
    if agent is not None:
        data = dict(InteractionSerializer(interaction).data)
        outbox.to_agent(agent.user_id, {"kind": kind, "at": format_utc(now), "interaction": data})


def _queue_event(interaction: Interaction, kind: str, now: datetime) -> dict:
    """What the watchers of the interaction's queue hear of an event (realtime.py)."""
    return {
        "kind": kind,
        "at": format_utc(now),
        "queue": interaction.queue.name,
        "interaction": interaction.pk,
        "state": interaction.state,
    }


def _after_commit(
    outbox: Outbox, *, route_queue: str | None = None, route_all: bool = False
) -> None:
    """After the commit: publish, then route when work was queued or capacity came back.

    Failures are logged, never raised: the work is committed already, and the
    offer sweeper routes every few seconds anyway.
    """

    def publish_and_route() -> None:
        outbox.send()
        if route_all:
            route()
        elif route_queue is not None:
            route(queue_name=route_queue)

    transaction.on_commit(publish_and_route, robust=True)
