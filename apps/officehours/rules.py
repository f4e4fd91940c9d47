"""Office hours: when a GMS office-hours service is open (calendar.md §1, §1.1).

Rules are written in local wall-clock time of ``_timezone`` and answered in UTC. The
UTC set of a local open period [a, b) is *every instant whose local wall-clock reading
lies in [a, b)* (our choice for calendar.md §1.1 step 5). So across a DST change:

* a period starting or ending in a non-existent local time (spring-forward gap) starts
  or ends at the end of the gap, i.e. it is shifted forward;
* a period containing a repeated (fall-back) hour is open for both occurrences, and a
  period lying wholly inside the repeated hour is open twice.

The set is computed exactly from the zone's UTC offset changes (zoneinfo), so that
``is_open`` (which reads the wall clock of one instant) and ``open_intervals`` always
agree. Instants must be timezone-aware, within years 3..9997.

``_use_alternative<n>`` and ``_include_regular<n>`` name other sections, so they are
resolved by the caller later; an ``_effective_dates<n>`` paired with a non-empty
``_use_alternative<n>`` belongs to that alternative and does not limit this service.
"""

import bisect
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # index = date.weekday()
MINUTES_PER_DAY = 24 * 60
DEFAULT_TIMEZONE = "UTC"

_HOUR = timedelta(hours=1)
_MINUTE = timedelta(minutes=1)
_DAY = timedelta(days=1)
_TIME = r"[0-9]{1,2}:[0-9]{2}"
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_PERIOD = rf"(?P<open>{_TIME})\s*-\s*(?P<close>{_TIME})"
_PERIOD_ONLY = re.compile(_PERIOD)
_REGULAR = re.compile(rf"(?P<first>[A-Za-z]+)(?:\s*-\s*(?P<last>[A-Za-z]+))?\s+{_PERIOD}")
_ADD = re.compile(rf"(?P<date>(?:[0-9]{{4}}-)?[0-9]{{2}}-[0-9]{{2}})\s+{_PERIOD}")
_DROP = re.compile(rf"(?P<date>(?:[0-9]{{4}}-)?[0-9]{{2}}-[0-9]{{2}})(?:\s+{_PERIOD})?")
_EFFECTIVE = re.compile(rf"(?P<first>{_DATE})(?:\s+to\s+(?P<last>{_DATE}))?")
_SHORT_IDS_ALLOWED = frozenset({"UTC", "GMT"})


class OfficeHoursError(ValueError):
    """A malformed office-hours option; ``option`` names it for the 500/400 answer."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = message


class _Malformed(ValueError):
    """Raised by the option readers; becomes a (option, message) problem."""


# --- time zones ------------------------------------------------------------------------


def timezone_problem(name: str) -> str | None:
    """Why ``name`` is not a usable ``_timezone`` (None if it is).

    Java/IANA ids only; 3-letter ids other than UTC/GMT (``EST``, ``CET``) are refused as
    the Genesys docs ask, and ``localtime`` because it depends on the host.
    """
    if len(name) == 3 and name not in _SHORT_IDS_ALLOWED:
        return f"Unknown timezone {name} (use an IANA id such as America/New_York)"
    if name == "localtime" or name not in _known_timezones():
        return f"Unknown timezone {name}"
    return None


def usable_timezones() -> list[str]:
    """Every id ``_timezone`` accepts, sorted: the choices of an editor's zone selector."""
    return sorted(name for name in _known_timezones() if timezone_problem(name) is None)


@functools.cache
def _known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def _offset_at(zone: ZoneInfo, instant: datetime) -> timedelta:
    """The UTC offset of ``zone`` at a naive UTC instant."""
    offset = instant.replace(tzinfo=UTC).astimezone(zone).utcoffset()
    assert offset is not None
    return offset


@functools.lru_cache(maxsize=1024)
def _transitions(zone: ZoneInfo, year: int) -> tuple[tuple[datetime, timedelta], ...]:
    """(naive UTC instant, new offset) of every offset change in a UTC year.

    zoneinfo hides its transition table, so the year is sampled hourly and each change
    bisected to the second (tz data changes offsets on whole seconds, never twice an hour).
    """
    second = timedelta(seconds=1)
    instant, stop = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    offset = _offset_at(zone, instant)
    found = []
    while instant < stop:
        step = min(instant + _HOUR, stop)
        new = _offset_at(zone, step)
        if new != offset:
            low, high = instant, step
            while high - low > second:
                middle = low + (high - low) // 2 // second * second
                if _offset_at(zone, middle) == offset:
                    low = middle
                else:
                    high = middle
            found.append((high, new))
            offset = new
        instant = step
    return tuple(found)


def _offset_segments(
    zone: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime, datetime, timedelta]]:
    """Naive UTC [start, end) cut where the offset of ``zone`` changes: (from, to, offset)."""
    offset = _offset_at(zone, start)
    segments = []
    for year in range(start.year, end.year + 1):
        changes = _transitions(zone, year)
        for instant, new in changes[bisect.bisect_right(changes, start, key=_first) :]:
            if instant >= end:
                break
            segments.append((start, instant, offset))
            start, offset = instant, new
    segments.append((start, end, offset))
    return segments


def _first(pair: tuple[datetime, timedelta]) -> datetime:
    return pair[0]


def wall_clock_to_utc(
    zone: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Every instant whose wall-clock reading in ``zone`` lies in the naive local [start,
    end), as sorted, disjoint, non-adjacent naive UTC intervals (the module's DST rule)."""
    pieces: list[tuple[datetime, datetime]] = []
    # No zone is a day or more off UTC, so a day of margin holds every candidate instant.
    for low, high, offset in _offset_segments(zone, start - _DAY, end + _DAY):
        first, last = max(low, start - offset), min(high, end - offset)
        if first >= last:
            continue
        if pieces and pieces[-1][1] >= first:
            pieces[-1] = (pieces[-1][0], max(pieces[-1][1], last))
        else:
            pieces.append((first, last))
    return pieces


def _utc(t: datetime, name: str) -> datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    t = t.astimezone(UTC)
    if not 3 <= t.year <= 9997:
        raise ValueError(f"{name} is outside the supported years 3..9997")
    return t


# --- rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Open from ``start`` to ``end`` minutes after local midnight of the day it starts.

    ``end`` passes 1440 for an overnight range, and is exactly 1440 for ``24:00``.
    """

    start: int
    end: int


@dataclass(frozen=True)
class DateMatch:
    """``YYYY-MM-dd`` (one date) or ``MM-dd`` (``year`` None: that date every year)."""

    month: int
    day: int
    year: int | None = None

    def matches(self, day: date) -> bool:
        return (
            day.month == self.month
            and day.day == self.day
            and (self.year is None or day.year == self.year)
        )


@dataclass(frozen=True)
class OfficeHours:
    """The evaluated rules of one office-hours section (calendar.md §1.1)."""

    timezone: str
    weekly: tuple[tuple[Period, ...], ...]  # seven entries, indexed by date.weekday()
    added: tuple[tuple[DateMatch, Period], ...] = ()
    dropped: tuple[DateMatch, ...] = ()
    effective: tuple[tuple[date, date], ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def day_periods(self, day: date) -> list[Period]:
        """The merged periods starting on local date ``day``: steps 1 to 5 of §1.1."""
        if self.effective and not any(first <= day <= last for first, last in self.effective):
            return []
        if any(match.matches(day) for match in self.dropped):
            return []
        periods = [*self.weekly[day.weekday()]]
        periods += [period for match, period in self.added if match.matches(day)]
        return [Period(low, high) for low, high in _merge((p.start, p.end) for p in periods)]

    def is_open(self, t: datetime) -> bool:
        """Whether the local wall-clock reading of ``t`` lies in an open period."""
        local = _utc(t, "t").astimezone(self.zone).replace(tzinfo=None)
        today = local.date()
        return any(
            low <= local < high for day in (today - _DAY, today) for low, high in self._local(day)
        )

    def open_intervals(self, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
        """Open UTC intervals within [start, end): sorted, disjoint, non-adjacent, clipped."""
        start, end = _utc(start, "start"), _utc(end, "end")
        if end <= start:
            return []
        # A local reading is less than a day off UTC and a period ends at most a day after
        # its date starts, so these dates hold every period reaching into [start, end).
        local: list[tuple[datetime, datetime]] = []
        day = start.date() - 2 * _DAY
        while day <= end.date() + _DAY:
            local += self._local(day)
            day += _DAY
        utc: list[tuple[datetime, datetime]] = []
        for low, high in _merge(local):
            utc += wall_clock_to_utc(self.zone, low, high)
        intervals = []
        for low, high in _merge(utc):
            first, last = max(low.replace(tzinfo=UTC), start), min(high.replace(tzinfo=UTC), end)
            if first < last:
                intervals.append((first, last))
        return intervals

    def periods_by_local_day(
        self, start: datetime, end: datetime
    ) -> list[tuple[date, list[tuple[datetime, datetime]]]]:
        """Each local date that [start, end] touches, with the whole UTC periods starting
        on it (an overnight period belongs to the date it starts), for calendar.md §2.

        A period lying wholly in a spring-forward gap is left out; one lying wholly in a
        repeated hour appears twice (both occurrences).
        """
        start, end = _utc(start, "start"), _utc(end, "end")
        if end < start:
            raise ValueError("end is before start")
        zone = self.zone
        first, last = (t.astimezone(zone).date() for t in (start, end))
        day, days = min(first, last), []
        while day <= max(first, last):
            utc: list[tuple[datetime, datetime]] = []
            for low, high in self._local(day):
                utc += wall_clock_to_utc(zone, low, high)
            utc.sort()
            days.append(
                (day, [(low.replace(tzinfo=UTC), high.replace(tzinfo=UTC)) for low, high in utc])
            )
            day += _DAY
        return days

    def _local(self, day: date) -> list[tuple[datetime, datetime]]:
        """The periods of ``day`` as naive local datetimes."""
        midnight = datetime.combine(day, datetime.min.time())
        return [
            (midnight + p.start * _MINUTE, midnight + p.end * _MINUTE)
            for p in self.day_periods(day)
        ]


def _merge(intervals: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Union of half-open intervals, overlapping and adjacent ones joined."""
    merged: list[tuple[Any, Any]] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


# --- parsing ---------------------------------------------------------------------------


def parse_office_hours(options: Mapping[str, str]) -> OfficeHours:
    """The office hours of a section; ``OfficeHoursError`` names the first bad option."""
    hours, problems = _read(options)
    if problems:
        raise OfficeHoursError(*problems[0])
    return hours


def office_hours_problems(options: Mapping[str, str]) -> list[tuple[str, str]]:
    """(option, message) for every malformed option, for the configuration validator."""
    return _read(options)[1]


def _option_order(name: str) -> tuple:
    """``_timezone`` first, then by name with numbers compared as numbers."""
    parts = re.split(r"([0-9]+)", name)
    return (name != "_timezone", [int(p) if i % 2 else p for i, p in enumerate(parts)])


def _read(options: Mapping[str, str]) -> tuple[OfficeHours, list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    timezone = DEFAULT_TIMEZONE
    weekly: list[list[Period]] = [[] for _ in DAY_NAMES]
    added: list[tuple[DateMatch, Period]] = []
    dropped: list[DateMatch] = []
    effective: list[tuple[date, date]] = []
    for name in sorted(options, key=_option_order):
        value = (options[name] or "").strip()
        if not value:
            continue
        try:
            if name == "_timezone":
                problem = timezone_problem(value)
                if problem:
                    raise _Malformed(problem)
                timezone = value
            elif name.startswith("_bh_regular"):
                days, period = _regular(value)
                for weekday in days:
                    weekly[weekday].append(period)
            elif name.startswith("_bh_add"):
                added.append(_add(value))
            elif name.startswith(("_bh_drop", "_holiday")):
                dropped.append(_drop(value))
            elif name.startswith("_effective_dates"):
                dates = _effective(value)
                suffix = name.removeprefix("_effective_dates")
                if not (options.get(f"_use_alternative{suffix}") or "").strip():
                    effective.append(dates)
        except _Malformed as error:
            problems.append((name, str(error)))
    hours = OfficeHours(
        timezone=timezone,
        weekly=tuple(tuple(periods) for periods in weekly),
        added=tuple(added),
        dropped=tuple(dropped),
        effective=tuple(effective),
    )
    return hours, problems


def _match(pattern: re.Pattern[str], value: str, expected: str) -> re.Match[str]:
    match = pattern.fullmatch(value)
    if match is None:
        raise _Malformed(f"expected '{expected}', got '{value}'")
    return match


def _regular(value: str) -> tuple[list[int], Period]:
    """``DDD-DDD HH:mm-HH:mm`` or ``DDD HH:mm-HH:mm``; a day range may wrap (``Sat-Mon``)."""
    match = _match(_REGULAR, value, "DDD-DDD HH:mm-HH:mm")
    first = _weekday(match["first"])
    last = _weekday(match["last"]) if match["last"] else first
    days = [(first + i) % 7 for i in range((last - first) % 7 + 1)]
    return days, _period(match)


def parse_period(text: str) -> Period:
    """``HH:mm-HH:mm`` read as a ``_bh_regular`` period is, so that an editor can normalise
    and group what a user typed. Raises ValueError when it is malformed."""
    return _period(_match(_PERIOD_ONLY, text.strip(), "HH:mm-HH:mm"))


def _weekday(name: str) -> int:
    if name not in DAY_NAMES:
        raise _Malformed(f"unknown day '{name}' (expected one of {' '.join(DAY_NAMES)})")
    return DAY_NAMES.index(name)


def _period(match: re.Match[str]) -> Period:
    """``HH:mm-HH:mm``: 24-hour clock, ``24:00`` only as the end, end before start = overnight."""
    start, end = _minutes(match["open"]), _minutes(match["close"])
    if start == MINUTES_PER_DAY:
        raise _Malformed("24:00 can only end a period")
    if start == end:
        raise _Malformed(f"the period {match['open']}-{match['close']} is empty")
    return Period(start, end if end > start else end + MINUTES_PER_DAY)


def _minutes(text: str) -> int:
    hours, minutes = (int(part) for part in text.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        raise _Malformed(f"invalid time '{text}'")
    return hours * 60 + minutes


def _date_match(text: str) -> DateMatch:
    """``YYYY-MM-dd`` or ``MM-dd``; ``02-29`` matches leap years only."""
    parts = [int(part) for part in text.split("-")]
    year, (month, day) = (parts[0] if len(parts) == 3 else None), parts[-2:]
    try:
        date(year or 2000, month, day)
    except ValueError:
        raise _Malformed(f"invalid date '{text}'") from None
    return DateMatch(month=month, day=day, year=year)


def _add(value: str) -> tuple[DateMatch, Period]:
    match = _match(_ADD, value, "YYYY-MM-dd HH:mm-HH:mm' or 'MM-dd HH:mm-HH:mm")
    return _date_match(match["date"]), _period(match)


def _drop(value: str) -> DateMatch:
    """A closed date; a time suffix must be well formed but is ignored (whole day closed)."""
    match = _match(_DROP, value, "YYYY-MM-dd' or 'MM-dd")
    if match["open"]:
        _period(match)
    return _date_match(match["date"])


def _effective(value: str) -> tuple[date, date]:
    match = _match(_EFFECTIVE, value, "YYYY-MM-dd' or 'YYYY-MM-dd to YYYY-MM-dd")
    try:
        first = date.fromisoformat(match["first"])
        last = date.fromisoformat(match["last"]) if match["last"] else first
    except ValueError:
        raise _Malformed(f"invalid date in '{value}'") from None
    if last < first:
        raise _Malformed(f"the range '{value}' ends before it starts")
    return first, last
