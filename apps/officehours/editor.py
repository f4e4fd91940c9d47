"""The office-hours editor page: a section's options <-> a weekly grid, holidays, special dates.

Plain functions, no request. The page reads its form into an ``OfficeHoursEditor``,
turns it into options here and saves them with ``apps.core.services.save_section``,
whose validator is the parser that answers the calendar query. So a row this module
cannot read is written as it was typed, and that validator names the problem.

Only ``_timezone`` and the rules (``_bh_regular*``, ``_bh_add*``, ``_bh_drop*``,
``_holiday*``) are rewritten; every other option keeps its value and its place
(``replace_options``).
"""

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apps.core.config import Options
from apps.core.times import format_utc
from apps.officehours.rules import (
    DAY_NAMES,
    DEFAULT_TIMEZONE,
    MINUTES_PER_DAY,
    DateMatch,
    OfficeHoursError,
    Period,
    parse_office_hours,
    parse_period,
)

RULE_PREFIXES = ("_bh_regular", "_bh_add", "_bh_drop", "_holiday")
PREVIEW_DAYS = 14
YEARLY = "yearly"  # the repeat choice of a date row that becomes ``MM-dd``
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# The form posts one list per field: open_Mon, close_Mon ..., holiday_date, holiday_repeat,
# special_date, special_repeat, special_open, special_close, timezone.
FormData = Mapping[str, Sequence[str]]


def is_edited_option(option: str) -> bool:
    """Whether the editor owns this option (and so rewrites it on save)."""
    return option == "_timezone" or option.startswith(RULE_PREFIXES)


@dataclass
class PeriodRow:
    """One open period as typed: ``HH:mm`` texts, so bad input is shown back unchanged."""

    open: str
    close: str

    @property
    def overnight(self) -> bool:
        """Closes the next day: the page says so beside the row."""
        try:
            return parse_period(f"{self.open}-{self.close}").end > MINUTES_PER_DAY
        except ValueError:
            return False


@dataclass
class DateRow:
    """A holiday, or a special date with its period; ``every_year`` writes ``MM-dd``."""

    date: str  # YYYY-MM-DD, as a date input holds it
    every_year: bool
    open: str = ""
    close: str = ""


@dataclass
class OfficeHoursEditor:
    timezone: str = DEFAULT_TIMEZONE
    week: list[list[PeriodRow]] = field(default_factory=lambda: [[] for _ in DAY_NAMES])
    holidays: list[DateRow] = field(default_factory=list)
    special: list[DateRow] = field(default_factory=list)

    @property
    def days(self) -> list[tuple[str, list[PeriodRow]]]:
        return list(zip(DAY_NAMES, self.week, strict=True))


# --- options -> editor -------------------------------------------------------------------


def editor_from_options(options: Mapping[str, str], today: date) -> OfficeHoursEditor:
    """The editor of a stored section; a yearly date is shown at its next occurrence.

    Raises OfficeHoursError when the section does not parse.
    """
    hours = parse_office_hours(options)
    return OfficeHoursEditor(
        timezone=hours.timezone,
        week=[[_period_row(period) for period in periods] for periods in hours.weekly],
        holidays=[_date_row(match, today) for match in hours.dropped],
        special=[_date_row(match, today, _period_row(period)) for match, period in hours.added],
    )


def _period_row(period: Period) -> PeriodRow:
    start, end = period_text(period).split("-")
    return PeriodRow(start, end)


def _date_row(match: DateMatch, today: date, period: PeriodRow | None = None) -> DateRow:
    shown = (
        _next_occurrence(match, today)
        if match.year is None
        else date(match.year, match.month, match.day)
    )
    return DateRow(
        date=shown.isoformat(),
        every_year=match.year is None,
        open=period.open if period else "",
        close=period.close if period else "",
    )


def _next_occurrence(match: DateMatch, today: date) -> date:
    """The first date on or after ``today`` a yearly ``MM-dd`` falls on (02-29: a leap year)."""
    year = today.year
    while True:
        with contextlib.suppress(ValueError):  # 02-29 of a common year
            day = date(year, match.month, match.day)
            if day >= today:
                return day
        year += 1


# --- form -> editor -> options -----------------------------------------------------------


def editor_from_form(data: FormData) -> OfficeHoursEditor:
    """The editor as posted; rows left wholly blank are dropped."""

    def values(name: str) -> list[str]:
        return [value.strip() for value in data.get(name, [])]

    week = [
        [
            PeriodRow(start, end)
            for start, end in zip(values(f"open_{day}"), values(f"close_{day}"), strict=False)
            if start or end
        ]
        for day in DAY_NAMES
    ]
    holidays = [
        DateRow(day, repeat == YEARLY)
        for day, repeat in zip(values("holiday_date"), values("holiday_repeat"), strict=False)
        if day
    ]
    special = [
        DateRow(day, repeat == YEARLY, start, end)
        for day, repeat, start, end in zip(
            values("special_date"),
            values("special_repeat"),
            values("special_open"),
            values("special_close"),
            strict=False,
        )
        if day or start or end
    ]
    timezone = next(iter(values("timezone")), "") or DEFAULT_TIMEZONE
    return OfficeHoursEditor(timezone=timezone, week=week, holidays=holidays, special=special)


def options_from_editor(options: Mapping[str, str], editor: OfficeHoursEditor) -> Options:
    """The section's options with the editor's zone and rules in place of the old ones."""
    regular: list[str] = []
    readable: list[list[Period]] = [[] for _ in DAY_NAMES]
    for day, rows in enumerate(editor.week):
        for row in rows:
            try:
                readable[day].append(parse_period(f"{row.open}-{row.close}"))
            except ValueError:
                regular.append(f"{DAY_NAMES[day]} {row.open}-{row.close}")
    edited = {"_timezone": editor.timezone}
    edited |= _numbered("_bh_regular", compact_rules(readable) + regular)
    edited |= _numbered(
        "_bh_add", [f"{_date_rule(row)} {_typed_period(row)}".strip() for row in editor.special]
    )
    edited |= _numbered("_bh_drop", [_date_rule(row) for row in editor.holidays])
    return replace_options(options, is_edited_option, edited)


def compact_rules(week: Sequence[Iterable[Period]]) -> list[str]:
    """``_bh_regular`` values for a week (Mon..Sun): the days sharing a period are grouped
    into runs, ``Mon-Fri 09:00-17:00``, so the stored configuration reads like GMS's own."""
    days_of: dict[Period, list[int]] = {}
    for day, periods in enumerate(week):
        for period in periods:
            days = days_of.setdefault(period, [])
            if day not in days:
                days.append(day)
    runs = [
        (first, period.start, last, period)
        for period, days in days_of.items()
        for first, last in _runs(days)
    ]
    return [
        f"{day_range(first, last)} {period_text(period)}" for first, _, last, period in sorted(runs)
    ]


def day_ranges(days: Iterable[int]) -> str:
    """``Mon-Fri, Sun`` for weekday indexes (0 = Monday)."""
    return ", ".join(day_range(first, last) for first, last in _runs(sorted(set(days))))


def day_range(first: int, last: int) -> str:
    return DAY_NAMES[first] if first == last else f"{DAY_NAMES[first]}-{DAY_NAMES[last]}"


def _runs(days: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted weekday indexes, as (first, last)."""
    runs: list[tuple[int, int]] = []
    for day in days:
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def period_text(period: Period) -> str:
    """``HH:mm-HH:mm``; the end of an overnight period is the next day's clock, midnight is 24:00."""
    end = period.end if period.end == MINUTES_PER_DAY else period.end % MINUTES_PER_DAY
    return f"{_clock(period.start)}-{_clock(end)}"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _typed_period(row: DateRow) -> str:
    if not (row.open or row.close):
        return ""
    try:
        return period_text(parse_period(f"{row.open}-{row.close}"))
    except ValueError:
        return f"{row.open}-{row.close}"


def _date_rule(row: DateRow) -> str:
    """``YYYY-MM-dd``, or ``MM-dd`` for every year."""
    return row.date[5:] if row.every_year and _ISO_DATE.fullmatch(row.date) else row.date


def _numbered(prefix: str, values: Iterable[str]) -> Options:
    return {f"{prefix}{n}": value for n, value in enumerate(values, start=1)}


def replace_options(
    options: Mapping[str, str], is_edited: Callable[[str], bool], edited: Mapping[str, str]
) -> Options:
    """``options`` with the edited ones replaced by ``edited``; every other option keeps its
    value and order.

    An edited option written again keeps its place, so a save changes ``gms_config dump``
    only where the user did. A new one goes after the last of its kind (its name without
    the number), else after the last edited option, else at the end.
    """
    result = [
        (name, edited.get(name, value))
        for name, value in options.items()
        if not is_edited(name) or name in edited
    ]
    for name, value in edited.items():
        if name in options:
            continue
        places = [i for i, (other, _) in enumerate(result) if is_edited(other)]
        same_kind = [i for i in places if _kind(result[i][0]) == _kind(name)]
        result.insert((same_kind or places or [len(result) - 1])[-1] + 1, (name, value))
    return dict(result)


def _kind(option: str) -> str:
    return option.rstrip("0123456789")


def kept_options(options: Mapping[str, str]) -> Options:
    """The options the editor leaves alone, listed on the page so nothing is a surprise."""
    return {name: value for name, value in options.items() if not is_edited_option(name)}


# --- preview and summary -------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewPeriod:
    start: datetime  # UTC
    end: datetime
    local: str  # in the office's zone, ``09:00-17:00``, ``20:00-02:00 (+1)`` past midnight

    @property
    def start_utc(self) -> str:
        return format_utc(self.start)

    @property
    def end_utc(self) -> str:
        return format_utc(self.end)

    @property
    def utc_text(self) -> str:
        """What a browser without JavaScript shows instead of the viewer's own zone."""
        return f"{self.start:%a %d %b %H:%M}-{self.end:%H:%M} UTC"


@dataclass(frozen=True)
class Preview:
    timezone: str
    days: list[tuple[date, list[PreviewPeriod]]]


def preview(options: Mapping[str, str], now: datetime) -> Preview:
    """The open periods of the next ``PREVIEW_DAYS`` local dates, as the calendar query
    answers them (each period under the date it starts). Raises OfficeHoursError."""
    hours = parse_office_hours(options)
    zone = hours.zone
    days = hours.periods_by_local_day(now, now + timedelta(days=PREVIEW_DAYS - 1))
    return Preview(
        timezone=hours.timezone,
        days=[
            (day, [_preview_period(day, start, end, zone) for start, end in periods])
            for day, periods in days[:PREVIEW_DAYS]
        ],
    )


def _preview_period(day: date, start: datetime, end: datetime, zone: ZoneInfo) -> PreviewPeriod:
    def minutes(t: datetime) -> int:
        local = t.astimezone(zone)
        return (local.date() - day).days * MINUTES_PER_DAY + local.hour * 60 + local.minute

    local = Period(minutes(start), minutes(end))
    suffix = " (+1)" if local.end > MINUTES_PER_DAY else ""
    return PreviewPeriod(start=start, end=end, local=period_text(local) + suffix)


def summary(options: Mapping[str, str]) -> str:
    """One line for the services list: the weekly periods by days (``Mon-Fri 09:00-12:30,
    13:30-18:00``) and how many dates differ."""
    try:
        hours = parse_office_hours(options)
    except OfficeHoursError as error:
        return f"Invalid: {error}"
    periods_of: dict[str, list[str]] = {}
    for rule in compact_rules(hours.weekly):
        days, period = rule.split(" ")
        periods_of.setdefault(days, []).append(period)
    weekly = "; ".join(f"{days} {', '.join(periods)}" for days, periods in periods_of.items())
    parts = [weekly or "Closed all week"]
    if hours.dropped:
        parts.append(_count(len(hours.dropped), "holiday"))
    if hours.added:
        parts.append(_count(len(hours.added), "special date"))
    if hours.effective:
        parts.append("effective dates set")
    return " · ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
