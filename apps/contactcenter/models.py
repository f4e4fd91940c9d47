"""The contact-center core: virtual queues, agents, interactions and their append-only history.

GMS hands work to Genesys back ends we do not have; these tables are that back end.
Every write goes through :mod:`apps.contactcenter.services`, which keeps the
counters (:class:`QueueStats`, :attr:`AgentCapacity.load`) in the same
transaction as the state change they count.

Agent state. ``AgentProfile.state`` stores what the agent *chose*: LOGGED_OUT,
NOT_READY or READY. BUSY is never stored: an agent who is logged in and holds
at least one offered or accepted interaction (some ``AgentCapacity.load`` > 0)
is *presented* as BUSY, so load has one source of truth. A BUSY agent whose
chosen state is READY still receives work while capacity is left.
"""

import math

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.core.text import is_storable_text

MAX_NAME_LENGTH = 255
DEFAULT_SERVICE_LEVEL_SECONDS = 20
# Largest |priority| accepted: fits the 32-bit integer column on every backend.
MAX_PRIORITY = 2**31 - 1


class Media(models.TextChoices):
    CHAT = "chat"
    EMAIL = "email"
    OPENMEDIA = "openmedia"
    CALLBACK = "callback"
    VOICE = "voice"


# How many interactions of each media an agent works at once, unless configured otherwise.
DEFAULT_CAPACITY: dict[str, int] = {
    Media.CHAT: 3,
    Media.EMAIL: 1,
    Media.OPENMEDIA: 1,
    Media.CALLBACK: 1,
    Media.VOICE: 1,
}


class AgentState(models.TextChoices):
    LOGGED_OUT = "LOGGED_OUT"
    NOT_READY = "NOT_READY"
    READY = "READY"
    BUSY = "BUSY"  # presented only, derived from load; never stored


STORED_AGENT_STATES = [AgentState.LOGGED_OUT, AgentState.NOT_READY, AgentState.READY]


class InteractionState(models.TextChoices):
    QUEUED = "queued"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    # Taken out of its queue by the app that made it (a callback whose service got paused):
    # it ends neither answered nor abandoned, so no queue statistic counts it as either.
    WITHDRAWN = "withdrawn"


# States in which an interaction takes one unit of its agent's capacity.
HELD_STATES = [InteractionState.OFFERED, InteractionState.ACCEPTED]
# States in which an interaction names its agent.
WORKED_STATES = [*HELD_STATES, InteractionState.COMPLETED]


def user_data_problem(value: object) -> str | None:
    """Why every backend could not store ``value`` as user data, or None when it can.

    User data is a JSON object of text without NUL and finite numbers; it is
    walked without recursion, so a deeply nested body is refused, never a crash.
    """
    if not isinstance(value, dict):
        return "must be an object"
    pending: list[object] = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if not is_storable_text(str(key)):
                    return "has a key with a NUL or an invalid character"
                pending.append(inner)
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and not is_storable_text(item):
            return "has text with a NUL or an invalid character"
        elif isinstance(item, float) and not math.isfinite(item):
            return "has a number that is not finite"
    return None


class VirtualQueue(models.Model):
    """A GMS virtual queue (``VQ_Sales``): where interactions wait for an agent."""

    name = models.CharField(max_length=MAX_NAME_LENGTH, unique=True)
    service_level_seconds = models.PositiveIntegerField(
        default=DEFAULT_SERVICE_LEVEL_SECONDS,
        help_text="An interaction accepted within this many seconds of queuing meets the service level",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """A new queue gets its counters row, so every state change has one to update."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            QueueStats.objects.create(queue=self)


class QueueStats(models.Model):
    """Counters of one queue, changed by the services in the transaction of each state change.

    ``waiting``, ``offered`` and ``active`` are current counts; the others are
    totals since the queue was created. Nothing recomputes them by scanning.
    Every interaction that ``entered`` is waiting, offered, answered, abandoned or
    ``withdrawn`` (taken back by its source, see ``services.withdraw``).
    ``average_handle_seconds`` is an exponentially weighted average of handle
    times (accepted to completed), so the estimate follows recent work;
    ``handle_seconds_total / completed`` is the plain mean.
    """

    queue = models.OneToOneField(
        VirtualQueue, on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    waiting = models.IntegerField(default=0)
    offered = models.IntegerField(default=0)
    active = models.IntegerField(default=0)
    entered = models.BigIntegerField(default=0)
    answered = models.BigIntegerField(default=0)
    answered_in_service_level = models.BigIntegerField(default=0)
    completed = models.BigIntegerField(default=0)
    abandoned = models.BigIntegerField(default=0)
    withdrawn = models.BigIntegerField(default=0)
    handle_seconds_total = models.FloatField(default=0.0)
    average_handle_seconds = models.FloatField(default=0.0)

    class Meta:
        verbose_name_plural = "queue stats"
        constraints = [
            models.CheckConstraint(
                condition=Q(waiting__gte=0, offered__gte=0, active__gte=0),
                name="cc_queue_stats_current_counts_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"stats of {self.queue_id}"


class AgentProfile(models.Model):
    """What makes a Django user an agent: a chosen state, capacity per media, queues served.

    ``idle_since`` orders READY agents for routing, oldest first: it moves to
    *now* when the agent becomes READY, receives an offer, or gets capacity back
    (an interaction completed, rejected, timed out or abandoned). For single
    capacity media that is "longest idle"; with several chats at once it spreads
    offers round-robin. An agent with no ``queues`` serves every queue.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent_profile"
    )
    state = models.CharField(
        max_length=10,
        choices=[(state.value, state.label) for state in STORED_AGENT_STATES],
        default=AgentState.LOGGED_OUT,
    )
    state_since = models.DateTimeField(default=timezone.now)
    idle_since = models.DateTimeField(default=timezone.now)
    queues = models.ManyToManyField(
        VirtualQueue,
        blank=True,
        related_name="agents",
        help_text="The queues this agent serves; none means every queue",
    )

    class Meta:
        ordering = ["user__username"]
        # No index on (state, idle_since): the table is small, and every offer moves
        # idle_since; unindexed, that UPDATE stays a cheap HOT update on PostgreSQL.
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=STORED_AGENT_STATES), name="cc_agent_stored_state"
            )
        ]

    def __str__(self) -> str:
        return self.user.get_username()

    def save(self, *args, **kwargs) -> None:
        """A new agent gets one capacity row per media, so routing never misses a media."""
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            AgentCapacity.objects.bulk_create(
                AgentCapacity(agent=self, media=media, capacity=DEFAULT_CAPACITY[media])
                for media in Media.values
            )


class AgentCapacity(models.Model):
    """How many interactions of one media an agent takes at once, and how many it holds now.

    A table rather than a JSON field: routing filters ``load < capacity`` in
    plain indexed SQL on every backend, and taking a slot is one conditional
    ``UPDATE ... SET load = load + 1 WHERE load < capacity`` that can never
    overfill an agent, whatever the concurrency. ``load`` counts the agent's
    offered and accepted interactions of this media.
    """

    agent = models.ForeignKey(AgentProfile, on_delete=models.CASCADE, related_name="capacities")
    media = models.CharField(max_length=10, choices=Media.choices)
    capacity = models.PositiveIntegerField(default=1)
    load = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["agent", "media"]
        verbose_name_plural = "agent capacities"
        constraints = [
            models.UniqueConstraint(fields=["agent", "media"], name="cc_one_capacity_per_media"),
            models.CheckConstraint(condition=Q(load__gte=0), name="cc_load_not_negative"),
        ]
        indexes = [models.Index(fields=["media", "agent"], name="cc_capacity_media")]

    def __str__(self) -> str:
        return f"{self.media} {self.load}/{self.capacity}"


class Interaction(models.Model):
    """One piece of customer work (a chat, an email, a due callback ...) from queue to outcome.

    ``queued_at`` is when it first entered the queue and survives a return to
    the queue, so waiting order and service level count from the customer's
    first minute. ``source``/``source_id`` name the object that made it (a chat
    session, a callback) so that object can find it again.
    """

    media = models.CharField(max_length=10, choices=Media.choices)
    state = models.CharField(
        max_length=10, choices=InteractionState.choices, default=InteractionState.QUEUED
    )
    # The composite indexes below start with queue and agent: no single-column index needed.
    queue = models.ForeignKey(
        VirtualQueue, on_delete=models.PROTECT, related_name="interactions", db_index=False
    )
    priority = models.IntegerField(default=0)
    user_data = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=50, blank=True, default="")
    source_id = models.CharField(max_length=MAX_NAME_LENGTH, blank=True, default="")
    agent = models.ForeignKey(
        AgentProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interactions",
        db_index=False,
    )
    queued_at = models.DateTimeField()
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    abandoned_at = models.DateTimeField(null=True, blank=True)
    disposition = models.CharField(max_length=MAX_NAME_LENGTH, blank=True, default="")

    class Meta:
        ordering = ["id"]
        indexes = [
            # Routing order over every queue, and within one queue (also positions).
            models.Index(fields=["state", "-priority", "queued_at", "id"], name="cc_ixn_route"),
            models.Index(
                fields=["queue", "state", "-priority", "queued_at", "id"], name="cc_ixn_queue_route"
            ),
            # MIN(queued_at) of the waiting interactions of a queue.
            models.Index(fields=["queue", "state", "queued_at"], name="cc_ixn_queue_age"),
            models.Index(fields=["state", "offer_expires_at"], name="cc_ixn_offer_expiry"),
            models.Index(fields=["agent", "state"], name="cc_ixn_agent"),
            models.Index(fields=["source", "source_id"], name="cc_ixn_source"),
        ]
        constraints = [
            # Queued, abandoned and withdrawn work has no agent; offered, accepted and
            # completed work has one.
            models.CheckConstraint(
                condition=Q(state__in=WORKED_STATES, agent__isnull=False)
                | (~Q(state__in=WORKED_STATES) & Q(agent__isnull=True)),
                name="cc_ixn_agent_matches_state",
            )
        ]

    def __str__(self) -> str:
        return f"{self.media} {self.pk} ({self.state})"


class EventKind(models.TextChoices):
    QUEUED = "queued"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    OFFER_TIMED_OUT = "offer_timed_out"
    OFFER_WITHDRAWN = "offer_withdrawn"
    COMPLETED = "completed"
    ABANDONED = "abandoned"
    WITHDRAWN = "withdrawn"


class AppendOnlyError(Exception):
    """An attempt to change or remove history."""


class InteractionEventQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        raise AppendOnlyError("Interaction events are never updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Interaction events are never deleted")


class InteractionEvent(models.Model):
    """One line of an interaction's history, written with the state change it records.

    Append-only: saving an existing event, or updating or deleting through a
    queryset, raises :class:`AppendOnlyError`; an interaction with history
    cannot be deleted (PROTECT).
    """

    interaction = models.ForeignKey(Interaction, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    at = models.DateTimeField()
    agent = models.ForeignKey(
        AgentProfile, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    details = models.JSONField(default=dict, blank=True)

    objects = InteractionEventQuerySet.as_manager()

    class Meta:
        ordering = ["interaction", "id"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Interaction events are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Interaction events are never deleted")
