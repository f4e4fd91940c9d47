"""Free callback slots: open office hours, within capacity, minus bookings (capacity.md §4).

A slot is a bucket [T, T + ``_request_time_bucket``) with T aligned on the UTC epoch
(callback.md §5, our choice). It is offered when it lies wholly inside one open period
(calendar.md §3: it may end exactly when the office closes) and has capacity left.
Booking goes through the same code (``slot_problem`` asks ``free_slots`` about one
bucket), so availability and booking can never disagree.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apps.capacity.grid import CapacityPlan
from apps.officehours.rules import OfficeHours

VALID_BUCKETS = (5, 10, 15, 20, 30, 60, 120)  # _request_time_bucket, callback.md §6.2
DEFAULT_MAX_PER_BUCKET = 100  # _max_request_by_time_bucket

OFFICE_CLOSED = "Office closed at desired time"
NO_CAPACITY = "No capacity at desired time"
SLOT_FULL = "The time slot of the desired time is fully booked"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_INSTANT = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Slot:
    """A bucket start with its remaining and total capacity (availability v2 ``capacity``
    and ``total``, callback.md §3.7)."""

    start: datetime
    capacity: int
    total: int


def _bucket(minutes: int) -> timedelta:
    if minutes not in VALID_BUCKETS:
        raise ValueError(f"_request_time_bucket must be one of {VALID_BUCKETS}, not {minutes}")
    return timedelta(minutes=minutes)


def _aware(t: datetime, name: str) -> datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return t.astimezone(UTC)


def bucket_start(t: datetime, minutes: int) -> datetime:
    """The start of the bucket holding ``t``: ``t`` floored to ``minutes`` since the UTC epoch."""
    step = _bucket(minutes)
    return _EPOCH + (_aware(t, "t") - _EPOCH) // step * step


def free_slots(
    *,
    start: datetime,
    end: datetime,
    bucket_minutes: int,
    office_hours: OfficeHours | None,
    capacity: CapacityPlan | None,
    max_per_bucket: int = DEFAULT_MAX_PER_BUCKET,
    booked: Mapping[datetime, int],
    report_busy: bool = False,
    limit: int | None = None,
) -> list[Slot]:
    """Slots starting in [start, end), in time order, at most ``limit`` of them.

    No office hours = always open. ``total`` is the capacity plan's value for the
    bucket's local hour, else ``max_per_bucket`` (capacity wins, capacity.md §4).
    ``booked`` counts callbacks per bucket start (a time inside a bucket counts for that
    bucket). A full slot (remaining 0) is listed only with ``report_busy``; a slot whose
    total is 0 never is: the grid gives that hour no capacity at all, so it is not busy
    but closed to bookings (our choice).
    """
    step = _bucket(bucket_minutes)
    start, end = _aware(start, "start"), _aware(end, "end")
    if max_per_bucket < 0 or (limit is not None and limit < 0):
        raise ValueError("max_per_bucket and limit cannot be negative")
    if end <= start or limit == 0:
        return []
    # Buckets are walked by their index since the epoch: integer arithmetic and integer
    # dictionary keys keep 14 days of 5-minute buckets to a few milliseconds.
    first = -((_EPOCH - start) // step)  # the first bucket starting at or after start
    stop = -((_EPOCH - end) // step)  # the first bucket starting at or after end
    counts: dict[int, int] = {}
    try:
        for booked_at, count in booked.items():
            index = (booked_at - _EPOCH) // step
            counts[index] = counts.get(index, 0) + count
    except TypeError:
        raise ValueError("booked times must be timezone-aware") from None
    if office_hours is None:
        periods = [(first, stop)]
    else:
        periods = [
            (-((_EPOCH - opens) // step), (closes - _EPOCH) // step)  # whole buckets only
            for opens, closes in office_hours.open_intervals(_EPOCH + first * step, end + step)
        ]
    slots: list[Slot] = []
    booked_in = counts.get
    total, total_until = max_per_bucket, first
    for low, high in periods:
        index = max(low, first)
        t = _EPOCH + index * step
        while index < high and index < stop:
            if capacity is not None and index >= total_until:
                total, until = capacity.per_bucket_until(t)
                total_until = -((_EPOCH - until) // step)
            remaining = total - booked_in(index, 0)
            if remaining > 0 or (report_busy and total > 0):
                slots.append(Slot(t, remaining if remaining > 0 else 0, total))
                if len(slots) == limit:
                    return slots
            index += 1
            t += step
    return slots


def slot_problem(
    t: datetime,
    *,
    bucket_minutes: int,
    office_hours: OfficeHours | None,
    capacity: CapacityPlan | None,
    max_per_bucket: int = DEFAULT_MAX_PER_BUCKET,
    booked: Mapping[datetime, int],
) -> str | None:
    """Why a callback cannot be booked at ``t`` (None: it can), for callback.md §5 step 7.

    The bucket of ``t`` must be a slot ``free_slots`` offers: wholly inside an open
    period, so a desired time just after an unaligned opening time is refused.
    """
    slot_start = bucket_start(t, bucket_minutes)
    slots = free_slots(
        start=slot_start,
        end=slot_start + _INSTANT,
        bucket_minutes=bucket_minutes,
        office_hours=office_hours,
        capacity=capacity,
        max_per_bucket=max_per_bucket,
        booked=booked,
        report_busy=True,
    )
    if slots:
        return None if slots[0].capacity > 0 else SLOT_FULL
    whole = (slot_start, slot_start + _bucket(bucket_minutes))
    if office_hours is not None and office_hours.open_intervals(*whole) != [whole]:
        return OFFICE_CLOSED
    return NO_CAPACITY
