"""Reads of the Stat Service: cached statistic values, EWT per virtual queue, queue positions.

Values come from :mod:`apps.stat.providers` and :mod:`apps.contactcenter.selectors`;
this module adds what GMS adds on top: the cache of opened statistics (stat.md
§2.2), the EWT API's shapes (§6) and the callback's check-queue-position
(service.md §2.3).
"""

import hashlib
import json
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from apps.contactcenter import selectors as contactcenter
from apps.contactcenter.models import MAX_NAME_LENGTH, Interaction, VirtualQueue
from apps.core.errors import SERVICE_NOT_FOUND, NotFound
from apps.core.text import is_storable_text
from apps.stat.providers import StatValue, provider

# stat.md §2.2 step 4: an opened statistic nobody asks for is closed after this long.
DEFAULT_IDLE_CLOSE_SECONDS = 600
NOTIFICATION_MODES = ("NoNotification", "Reset", "Immediate")
DEFAULT_NOTIFICATION_MODE = "Immediate"

# The callback option's default (stat.md §6): ``eta_seconds:position`` pairs.
DEFAULT_ETA_POS_THRESHOLD = "0:10,10:5,20:2,30:1,40:0"


# --- PeekStat ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatKey:
    """Every parameter that names one opened statistic (stat.md §2.2 step 1).

    The tenant password is left out: it authorises, it does not name.
    """

    metric: str
    object_type: str
    object_id: str
    tenant: str
    notification_mode: str = DEFAULT_NOTIFICATION_MODE
    filter: str = ""
    time_profile: str = ""
    time_range: str = ""
    time_range2: str = ""

    def cache_key(self) -> str:
        """A digest, so any text (long, spaces, control characters) makes a valid cache key."""
        digest = hashlib.sha256(json.dumps(astuple(self)).encode()).hexdigest()
        return f"stat:{digest}"


@dataclass(frozen=True)
class StatReading:
    value: StatValue
    produced_at: datetime

    @property
    def timestamp_ms(self) -> int:
        return int(self.produced_at.timestamp() * 1000)


def idle_close_seconds() -> int:
    return getattr(settings, "STAT_IDLE_CLOSE_SECONDS", DEFAULT_IDLE_CLOSE_SECONDS)


def peek_statistic(key: StatKey, *, max_age: int | None = None) -> tuple[StatReading, int]:
    """(reading, its age in whole seconds): the cached value unless it is too old.

    The cache plays the part of Stat Server's opened statistics. A cached value
    is used while its age is under ``max_age`` (``Cache-Control: max-age``), so
    ``max_age=0`` always reads afresh; without ``max_age`` the cached value is
    used however old. Each use restarts the idle timeout, so only statistics
    nobody asks for are evicted. Errors are never cached.
    """
    now = timezone.now()
    cache_key = key.cache_key()
    reading: StatReading | None = cache.get(cache_key)
    if reading is not None:
        age = max((now - reading.produced_at).total_seconds(), 0.0)
        if max_age is None or age < max_age:
            cache.touch(cache_key, idle_close_seconds())
            return reading, int(age)
    value = provider.get(
        key.metric,
        key.object_type,
        key.object_id,
        key.tenant,
        filter=key.filter or None,
        time_profile=key.time_profile or None,
        time_range=key.time_range or None,
        time_range2=key.time_range2 or None,
    )
    reading = StatReading(value=value, produced_at=now)
    cache.set(cache_key, reading, idle_close_seconds())
    return reading, 0


# --- EWT API -----------------------------------------------------------------------


def expected_waits(names: Sequence[str] | None = None) -> dict[str, int]:
    """EWT in seconds of each named virtual queue that exists, in the order named.

    Every queue, by name, when ``names`` is None. Unknown names are left out
    (stat.md §6); three queries answer any number of queues.
    """
    if names is None:
        names = list(VirtualQueue.objects.order_by("name").values_list("name", flat=True))
    storable = [name for name in names if len(name) <= MAX_NAME_LENGTH and is_storable_text(name)]
    waits = contactcenter.newcomer_waits(storable)
    return {name: waits[name] for name in dict.fromkeys(storable) if name in waits}


# --- check-queue-position ----------------------------------------------------------


@dataclass(frozen=True)
class QueuePosition:
    """Where a service's interaction stands (service.md §2.3)."""

    position: int  # 1 = routed next; 0 = no longer waiting
    eta: int  # estimated seconds until an agent takes it
    total_waiting: int
    agent_ready_threshold_passed: bool


def parse_eta_pos_threshold(text: str) -> list[tuple[int, int]]:
    """``0:10,10:5`` -> [(0, 10), (10, 5)], sorted by ETA; ValueError when malformed."""
    pairs = []
    for part in text.split(","):
        eta, sep, position = part.strip().partition(":")
        if not sep:
            raise ValueError(f"{part.strip()!r} is not eta_seconds:position")
        pair = (int(eta), int(position))
        if min(pair) < 0:
            raise ValueError(f"{part.strip()!r} has a negative number")
        pairs.append(pair)
    return sorted(pairs)


def agent_ready_threshold_passed(
    thresholds: Sequence[tuple[int, int]], *, eta: int, position: int
) -> bool:
    """Whether an agent is about to be ready for the interaction (``_eta_pos_threshold``).

    Our reading of the ``eta_seconds:position`` pairs: the pair with the largest
    ETA not above ``eta`` applies, and the threshold is passed when ``position``
    is at most its position. With the default ``0:10,10:5,20:2,30:1,40:0``, an
    ETA under 10 s passes up to position 10, under 20 s up to 5, under 30 s up
    to 2, under 40 s only the first, and from 40 s nobody. An ETA below every
    pair does not pass.
    """
    applicable = [limit for threshold, limit in thresholds if threshold <= eta]
    return bool(applicable) and position <= applicable[-1]


def interaction_of_service(service_id: str) -> Interaction:
    """The latest interaction a service (a callback) queued with its id as ``source_id``."""
    interaction = None
    if len(service_id) <= MAX_NAME_LENGTH and is_storable_text(service_id):
        interaction = (
            Interaction.objects.select_related("queue")
            .filter(source_id=service_id)
            .order_by("-id")
            .first()
        )
    if interaction is None:
        raise NotFound(f"Service {service_id} not found", exception=SERVICE_NOT_FOUND)
    return interaction


def queue_position(
    service_id: str, *, eta_pos_threshold: str = DEFAULT_ETA_POS_THRESHOLD
) -> QueuePosition:
    """Position, ETA and total of the service's interaction; NotFound for an unknown id.

    Work no longer waiting (offered, accepted, ended) is at position 0 with ETA
    0 and the threshold passed: an agent has it, or will never need to.
    """
    interaction = interaction_of_service(service_id)
    position, total = contactcenter.position_of(interaction)
    if position == 0:
        return QueuePosition(
            position=0, eta=0, total_waiting=total, agent_ready_threshold_passed=True
        )
    eta = contactcenter.expected_wait_seconds(
        interaction.queue.name, position=position, media=interaction.media
    )
    passed = agent_ready_threshold_passed(
        parse_eta_pos_threshold(eta_pos_threshold), eta=eta, position=position
    )
    return QueuePosition(
        position=position, eta=eta, total_waiting=total, agent_ready_threshold_passed=passed
    )
