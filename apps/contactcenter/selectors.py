"""Reads of the contact center: agents, interactions, queue statistics and wait estimates.

The statistics read the counters :mod:`apps.contactcenter.services` keeps and a
few indexed aggregates (the oldest waiting interaction, agents by state); no
request scans the interactions of a queue.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, Exists, F, IntegerField, Min, OuterRef, Q, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.contactcenter.models import (
    HELD_STATES,
    AgentCapacity,
    AgentProfile,
    AgentState,
    Interaction,
    InteractionEvent,
    InteractionState,
    QueueStats,
    VirtualQueue,
)
from apps.core.errors import Forbidden, NotFound

# The handle time assumed until a queue has completed its first interaction.
DEFAULT_HANDLE_SECONDS = 180.0

_Served = AgentProfile.queues.through


@dataclass(frozen=True)
class MediaCapacity:
    capacity: int  # interactions of this media taken at once
    load: int  # offered and accepted now


@dataclass(frozen=True)
class AgentStatus:
    username: str
    state: str  # presented: BUSY while holding work
    declared_state: str
    state_since: datetime
    idle_since: datetime
    capacity: dict[str, MediaCapacity]
    queues: list[str]


@dataclass(frozen=True)
class QueueSnapshot:
    """What the Stat Service reports about one virtual queue, read at one moment.

    ``ready_agents`` counts agents serving the queue whose declared state is
    READY (some may be BUSY with work yet take more); ``agents_by_state`` counts
    the same agents by presented state. ``service_level`` is answered within
    ``service_level_seconds`` ÷ (answered + abandoned), None before the first
    of either. ``average_handle_seconds`` is None until something completed.
    """

    name: str
    waiting: int
    offered: int
    active: int
    oldest_waiting_seconds: int
    ready_agents: int
    agents_by_state: dict[str, int]
    entered: int
    answered: int
    answered_in_service_level: int
    completed: int
    abandoned: int
    service_level_seconds: int
    service_level: float | None
    average_handle_seconds: float | None
    expected_wait_seconds: int


# --- agents -------------------------------------------------------------------


def agent_of(user) -> AgentProfile:
    """The agent profile of a signed-in user; Forbidden for users who are not agents."""
    profile = AgentProfile.objects.select_related("user").filter(user=user).first()
    if profile is None:
        raise Forbidden(f"User {user.get_username()} is not an agent")
    return profile


def is_agent(user) -> bool:
    """Whether a user is signed in and has an agent profile (who may use the desk)."""
    return user.is_authenticated and AgentProfile.objects.filter(user_id=user.pk).exists()


def agent_status(agent: AgentProfile) -> AgentStatus:
    """The agent as a desk shows it, read fresh from the database."""
    agent = AgentProfile.objects.select_related("user").get(pk=agent.pk)
    capacity = {
        media: MediaCapacity(capacity=cap, load=load)
        for media, cap, load in agent.capacities.values_list("media", "capacity", "load")
    }
    holds_work = any(c.load for c in capacity.values())
    return AgentStatus(
        username=agent.user.get_username(),
        state=presented_state(agent.state, holds_work),
        declared_state=agent.state,
        state_since=agent.state_since,
        idle_since=agent.idle_since,
        capacity=capacity,
        queues=list(agent.queues.values_list("name", flat=True)),
    )


def presented_state(declared: str, holds_work: bool) -> str:
    """BUSY is derived, never stored: a logged-in agent holding work is BUSY."""
    if holds_work and declared != AgentState.LOGGED_OUT:
        return AgentState.BUSY
    return declared


def agent_work(agent: AgentProfile) -> tuple[list[Interaction], list[Interaction]]:
    """The agent's pending offers and accepted interactions, oldest first."""
    held = list(
        Interaction.objects.filter(agent=agent, state__in=HELD_STATES)
        .select_related("queue", "agent__user")
        .order_by("queued_at", "id")
    )
    offers = [i for i in held if i.state == InteractionState.OFFERED]
    active = [i for i in held if i.state == InteractionState.ACCEPTED]
    return offers, active


def serving(queue_id: int, agent: str = "pk") -> Q:
    """Agents serving a queue: those listing it, and those listing no queue at all.

    ``agent`` names the agent's id in the filtered query (``agent_id`` from capacities).
    """
    listed = _Served.objects.filter(agentprofile_id=OuterRef(agent))
    return Q(Exists(listed.filter(virtualqueue_id=queue_id))) | ~Q(Exists(listed))


def _agents_counted(queue_id: int) -> dict[tuple[str, bool], int]:
    """Agents serving the queue counted by (declared state, holds work): one GROUP BY over
    the small agent table."""
    agents = AgentProfile.objects.filter(serving(queue_id))
    busy = Exists(AgentCapacity.objects.filter(agent=OuterRef("pk"), load__gt=0))
    rows = agents.annotate(busy=busy).values("state", "busy").annotate(n=Count("pk")).order_by()
    return {(row["state"], bool(row["busy"])): row["n"] for row in rows}


def _by_presented_state(counted: dict[tuple[str, bool], int]) -> dict[str, int]:
    counts = dict.fromkeys(AgentState.values, 0)
    for (state, busy), n in counted.items():
        counts[presented_state(state, busy)] += n
    return counts


# --- interactions ---------------------------------------------------------------


def get_interaction(interaction_id: int) -> Interaction:
    interaction = (
        Interaction.objects.select_related("queue", "agent__user").filter(pk=interaction_id).first()
    )
    if interaction is None:
        raise NotFound(f"Interaction {interaction_id} not found")
    return interaction


def interaction_for_agent(interaction_id: int, agent: AgentProfile) -> Interaction:
    """An interaction the agent holds or once held (an event names them); NotFound otherwise."""
    interaction = get_interaction(interaction_id)
    if interaction.agent_id != agent.pk and not interaction.events.filter(agent=agent).exists():
        raise NotFound(f"Interaction {interaction_id} not found")
    return interaction


def interaction_history(interaction: Interaction) -> list[InteractionEvent]:
    """Every event of the interaction, in the order they happened."""
    return list(interaction.events.select_related("agent__user").order_by("id"))


def find_by_source(*, source: str, source_id: str) -> Interaction | None:
    """The latest interaction a chat session, email or callback (``source``) created."""
    return (
        Interaction.objects.select_related("queue", "agent__user")
        .filter(source=source, source_id=source_id)
        .order_by("-id")
        .first()
    )


# --- queue statistics ---------------------------------------------------------------


def _queue(queue_name: str) -> VirtualQueue:
    queue = VirtualQueue.objects.select_related("stats").filter(name=queue_name).first()
    if queue is None:
        raise NotFound(f"Virtual queue {queue_name} not found")
    return queue


def _handle_seconds(stats: QueueStats) -> float:
    return stats.average_handle_seconds if stats.completed else DEFAULT_HANDLE_SECONDS


def _ready_agents(counted: dict[tuple[str, bool], int]) -> tuple[int, int]:
    """(slots, free slots) with no media in view: each READY agent is one slot, free when it
    holds no work at all (slots of different media do not add up: a voice call does
    not go faster because chats are free)."""
    busy = counted.get((AgentState.READY, True), 0)
    idle = counted.get((AgentState.READY, False), 0)
    return busy + idle, idle


def _ready_capacity(queue_id: int, media: str | None) -> tuple[int, int]:
    """(slots, free slots) of the READY agents serving the queue; for one media, a slot is
    one unit of that media's capacity."""
    if media is None:
        return _ready_agents(_agents_counted(queue_id))
    ready = AgentProfile.objects.filter(serving(queue_id), state=AgentState.READY)
    totals = AgentCapacity.objects.filter(agent__in=ready, media=media).aggregate(
        slots=Coalesce(Sum("capacity"), 0),
        free=Coalesce(
            Sum(
                Case(
                    When(load__lt=F("capacity"), then=F("capacity") - F("load")),
                    default=0,
                    output_field=IntegerField(),
                )
            ),
            0,
        ),
    )
    return totals["slots"], totals["free"]


def _estimate(*, ahead: int, handle_seconds: float, slots: int, free: int) -> int:
    need = ahead + 1 - free
    if need <= 0:
        return 0
    return math.ceil(need * handle_seconds / max(slots, 1))


def expected_wait_seconds(
    queue_name: str, *, position: int | None = None, media: str | None = None
) -> int:
    """Estimated seconds until an interaction at ``position`` (1 = next) gets an agent.

    Without a position: for a newcomer behind everything waiting now. The estimate::

        ahead = position - 1            (or the waiting count for a newcomer)
        need  = ahead + 1 - free        (free slots take the first ones at once)
        ewt   = 0 if need <= 0 else ceil(need * AHT / max(slots, 1))

    ``slots``/``free`` are the capacity of the READY agents serving the queue
    (see :func:`_ready_capacity`); each busy slot frees up about once per AHT,
    the queue's average handle time (exponentially weighted, 180 s until
    something completed). With nobody READY it assumes one slot, so the value
    stays finite; it is an estimate, not a promise.
    """
    queue = _queue(queue_name)
    ahead = max(position - 1, 0) if position is not None else queue.stats.waiting
    slots, free = _ready_capacity(queue.pk, media)
    return _estimate(
        ahead=ahead, handle_seconds=_handle_seconds(queue.stats), slots=slots, free=free
    )


def newcomer_waits(queue_names: Iterable[str]) -> dict[str, int]:
    """:func:`expected_wait_seconds` of a newcomer in each named queue that exists, in
    three queries however many queues: the EWT API asks for every queue at once.

    Same estimate, same READY slots (:func:`_ready_agents`): an agent serves the queues it
    lists, or every queue when it lists none.
    """
    queues = VirtualQueue.objects.select_related("stats").filter(name__in=list(queue_names))
    busy = Exists(AgentCapacity.objects.filter(agent=OuterRef("pk"), load__gt=0))
    ready = dict(
        AgentProfile.objects.filter(state=AgentState.READY)
        .annotate(busy=busy)
        .values_list("pk", "busy")
    )
    listed: dict[int, set[int]] = defaultdict(set)
    for agent_id, queue_id in _Served.objects.filter(agentprofile_id__in=ready).values_list(
        "agentprofile_id", "virtualqueue_id"
    ):
        listed[agent_id].add(queue_id)
    waits = {}
    for queue in queues:
        serving_agents = [
            agent for agent in ready if not listed[agent] or queue.pk in listed[agent]
        ]
        idle = sum(1 for agent in serving_agents if not ready[agent])
        waits[queue.name] = _estimate(
            ahead=queue.stats.waiting,
            handle_seconds=_handle_seconds(queue.stats),
            slots=len(serving_agents),
            free=idle,
        )
    return waits


def position_of(interaction: Interaction) -> tuple[int, int]:
    """(position, total waiting) of an interaction in its queue; position 1 is routed next.

    The order is routing's: higher priority first, then older. Interactions no
    longer waiting (offered, accepted, ended) have position 0.
    """
    interaction = Interaction.objects.select_related("queue__stats").get(pk=interaction.pk)
    total = interaction.queue.stats.waiting
    if interaction.state != InteractionState.QUEUED:
        return 0, total
    same_priority_before = Q(priority=interaction.priority) & (
        Q(queued_at__lt=interaction.queued_at)
        | Q(queued_at=interaction.queued_at, id__lt=interaction.pk)
    )
    ahead = Interaction.objects.filter(
        Q(priority__gt=interaction.priority) | same_priority_before,
        queue_id=interaction.queue_id,
        state=InteractionState.QUEUED,
    ).count()
    return ahead + 1, total


def queue_snapshot(queue_name: str, *, now: datetime | None = None) -> QueueSnapshot:
    """Every figure of one queue at once, for the Stat Service; NotFound for an unknown queue."""
    now = now or timezone.now()
    queue = _queue(queue_name)
    stats = queue.stats
    oldest = Interaction.objects.filter(queue_id=queue.pk, state=InteractionState.QUEUED).aggregate(
        oldest=Min("queued_at")
    )["oldest"]
    counted = _agents_counted(queue.pk)
    slots, free = _ready_agents(counted)
    judged = stats.answered + stats.abandoned
    return QueueSnapshot(
        name=queue.name,
        waiting=stats.waiting,
        offered=stats.offered,
        active=stats.active,
        oldest_waiting_seconds=max(int((now - oldest).total_seconds()), 0) if oldest else 0,
        ready_agents=slots,
        agents_by_state=_by_presented_state(counted),
        entered=stats.entered,
        answered=stats.answered,
        answered_in_service_level=stats.answered_in_service_level,
        completed=stats.completed,
        abandoned=stats.abandoned,
        service_level_seconds=queue.service_level_seconds,
        service_level=stats.answered_in_service_level / judged if judged else None,
        average_handle_seconds=stats.average_handle_seconds if stats.completed else None,
        expected_wait_seconds=_estimate(
            ahead=stats.waiting, handle_seconds=_handle_seconds(stats), slots=slots, free=free
        ),
    )
