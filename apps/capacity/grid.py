"""Capacity: how many scheduled callbacks each bucket of a local hour accepts.

A capacity section (capacity.md §1) holds a weekly grid, ``_capacity_<d>`` =
``{"<d>": {"HH00": n}}``, and date exceptions in ``_capacity_add``, both in local time of
``_timezone``. The value of an hour applies to EACH ``_request_time_bucket`` of that hour
(capacity.md §4): 10 with 5-minute buckets is 120 callbacks an hour.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apps.officehours.rules import DEFAULT_TIMEZONE, timezone_problem, wall_clock_to_utc

DEFAULT_MAX_CAPACITY = 1000
HOURS = range(24)
CAPACITY_DAYS = ("1", "2", "3", "4", "5", "6", "7")  # the d of _capacity_<d>

_HOUR = timedelta(hours=1)
_INSTANT = timedelta(microseconds=1)
_HOUR_KEY = re.compile(r"[0-9]{2}00")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DAY_OPTION = re.compile(r"_capacity_([0-9]+)")
_CLOSED = (0,) * 24

Hours = tuple[int, ...]  # capacity per bucket for local hours 0..23


def capacity_day(day: date) -> int:
    """The ``d`` of ``_capacity_<d>`` for a local date: 1=Sunday … 7=Saturday.

    Java ``Calendar`` numbering, capacity.md §1.1 (UNCONFIRMED); the ISO reading
    (1=Monday … 7=Sunday) would be ``day.isoweekday()``. The only place to flip it.
    """
    return day.isoweekday() % 7 + 1


class CapacityError(ValueError):
    """A malformed capacity option; ``option`` names it for the 500/400 answer."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = message


class _Malformed(ValueError):
    """Raised by the option readers; becomes a (option, message) problem."""


@dataclass(frozen=True)
class CapacityPlan:
    """The evaluated grid of one capacity section."""

    timezone: str
    days: Mapping[int, Hours]  # by capacity_day(); a missing day has capacity 0
    exceptions: Mapping[date, Hours] = field(default_factory=dict)  # replace the weekday
    max_capacity: int = DEFAULT_MAX_CAPACITY

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def at(self, day: date, hour: int) -> int:
        """Capacity per bucket of a local hour: a date exception, else the weekday, else 0."""
        hours = self.exceptions.get(day)
        if hours is None:
            hours = self.days.get(capacity_day(day), _CLOSED)
        return hours[hour]

    def per_bucket(self, t: datetime) -> int:
        """Capacity per bucket of the local hour containing the instant ``t``."""
        return self.per_bucket_until(t)[0]

    def per_bucket_until(self, t: datetime) -> tuple[int, datetime]:
        """``per_bucket(t)`` and an instant before which it holds, so that callers walking
        through time can skip the zone lookup for the rest of the local hour."""
        if t.tzinfo is None:
            raise ValueError("t must be timezone-aware")
        zone = self.zone
        local = t.astimezone(zone)
        past = timedelta(minutes=local.minute, seconds=local.second, microseconds=local.microsecond)
        until = t + (_HOUR - past)
        if (until - _INSTANT).astimezone(zone).utcoffset() != local.utcoffset():
            until = t + _INSTANT  # the offset changes within the hour: look again next time
        return self.at(local.date(), local.hour), until

    def hourly_periods(
        self, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime, int]]:
        """Hourly cells of naive local times intersecting [start, end), clipped (capacity.md §2.1).

        Across DST: a wall-clock hour no instant reads (the spring-forward gap) is left out,
        so a spring day has 23 cells; the repeated fall-back hour is one cell, as naive
        local times cannot tell its two occurrences apart and both have the same ``HH00``
        capacity (per bucket), so a fall day has 24 cells for 25 hours.
        """
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError("start and end are naive local times")
        if not (3 <= start.year <= 9997 and 3 <= end.year <= 9997):
            raise ValueError("start and end must be within the years 3..9997")
        zone = self.zone
        cells = []
        hour = start.replace(minute=0, second=0, microsecond=0)
        while hour < end:
            low, high = max(hour, start), min(hour + _HOUR, end)
            if _exists(zone, low) or wall_clock_to_utc(zone, low, high):
                cells.append((low, high, self.at(hour.date(), hour.hour)))
            hour += _HOUR
        return cells


def _exists(zone: ZoneInfo, local: datetime) -> bool:
    """Whether some instant reads ``local`` on the wall clock (the cheap common case)."""
    there_and_back = local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
    return there_and_back.replace(tzinfo=None) == local


# --- parsing ---------------------------------------------------------------------------


def parse_capacity(options: Mapping[str, str]) -> CapacityPlan:
    """The plan of a section; ``CapacityError`` names the first bad option."""
    plan, problems = _read(options)
    if problems:
        raise CapacityError(*problems[0])
    return plan


def capacity_problems(options: Mapping[str, str]) -> list[tuple[str, str]]:
    """(option, message) for every malformed option, for the configuration validator."""
    return _read(options)[1]


def _read(options: Mapping[str, str]) -> tuple[CapacityPlan, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []

    def value(name: str) -> str:
        return (options.get(name) or "").strip()

    timezone = value("_timezone") or DEFAULT_TIMEZONE
    problem = timezone_problem(timezone)
    if problem:
        problems.append(("_timezone", problem))
        timezone = DEFAULT_TIMEZONE
    max_capacity = DEFAULT_MAX_CAPACITY
    if value("_max_capacity"):
        if re.fullmatch(r"[0-9]+", value("_max_capacity"), re.ASCII):
            max_capacity = int(value("_max_capacity"))
        else:
            problems.append(("_max_capacity", "must be a whole number, 0 or more"))
    days: dict[int, Hours] = {}
    for name in sorted(options):
        match = _DAY_OPTION.fullmatch(name)
        if match is None or not value(name):
            continue
        try:
            days[int(match[1])] = _day(match[1], name, value(name), max_capacity)
        except _Malformed as error:
            problems.append((name, str(error)))
    exceptions: dict[date, Hours] = {}
    if value("_capacity_add"):
        try:
            exceptions = _exceptions(value("_capacity_add"), max_capacity)
        except _Malformed as error:
            problems.append(("_capacity_add", str(error)))
    plan = CapacityPlan(
        timezone=timezone, days=days, exceptions=exceptions, max_capacity=max_capacity
    )
    return plan, problems


def _json(text: str) -> Any:
    """Strict JSON: no NaN/Infinity, no repeated keys."""

    def no_constants(name: str) -> Any:
        raise _Malformed(f"{name} is not a number")

    def no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in pairs]
        for key in keys:
            if keys.count(key) > 1:
                raise _Malformed(f"the key '{key}' is repeated")
        return dict(pairs)

    try:
        return json.loads(text, parse_constant=no_constants, object_pairs_hook=no_repeats)
    except _Malformed:
        raise
    except (ValueError, RecursionError) as error:  # also digits beyond int's limit, deep nesting
        raise _Malformed(f"invalid JSON: {error}") from None


def _day(d: str, name: str, text: str, max_capacity: int) -> Hours:
    """``{"<d>": {"HH00": n}}``; ``{}`` is a day without capacity."""
    if d not in CAPACITY_DAYS:
        raise _Malformed(f"the weekday {d} is outside 1..7")
    data = _json(text)
    if not isinstance(data, dict):
        raise _Malformed(f'expected {{"{d}": {{"HH00": capacity}}}}')
    if data.keys() - {d}:
        raise _Malformed(f'the only key must be "{d}", to match {name}')
    return _hours(data.get(d, {}), max_capacity)


def _hours(data: Any, max_capacity: int) -> Hours:
    """``{"HH00": n}``: whole hours 00..23, integers 0.._max_capacity; missing hours are 0."""
    if not isinstance(data, dict):
        raise _Malformed('expected {"HH00": capacity}')
    hours = [0] * 24
    for key, capacity in data.items():
        if not _HOUR_KEY.fullmatch(key):
            raise _Malformed(f"the hour key '{key}' is not HH00")
        if int(key[:2]) not in HOURS:
            raise _Malformed(f"the hour {key} is outside 00..23")
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            raise _Malformed(f"the capacity of {key} is not a whole number")
        if capacity < 0:
            raise _Malformed(f"the capacity of {key} is negative")
        if capacity > max_capacity:
            raise _Malformed(f"the capacity of {key} is above _max_capacity ({max_capacity})")
        hours[int(key[:2])] = capacity
    return tuple(hours)


def _exceptions(text: str, max_capacity: int) -> dict[date, Hours]:
    """``{"YYYY-MM-dd": {"HH00": n}}`` or a list of such objects (capacity.md §1.3)."""
    data = _json(text)
    objects = data if isinstance(data, list) else [data]
    exceptions: dict[date, Hours] = {}
    for item in objects:
        if not isinstance(item, dict):
            raise _Malformed('expected {"YYYY-MM-dd": {"HH00": capacity}} or a list of them')
        for key, hours in item.items():
            day = _date(key)
            if day in exceptions:
                raise _Malformed(f"the date {key} is listed twice")
            exceptions[day] = _hours(hours, max_capacity)
    return exceptions


def _date(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise _Malformed(f"the date '{text}' is not YYYY-MM-dd")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Malformed(f"invalid date '{text}'") from None
