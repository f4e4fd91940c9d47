"""The capacity editor page: a section's options <-> a 7x24 grid and date exceptions.

Plain functions, no request. The page reads its form into a ``CapacityEditor``, turns
it into options here and saves them with ``apps.core.services.save_section``, whose
validator is the parser that answers the capacity query. A cell that is not a whole
number is written as typed (a JSON string), so that validator names the problem.

Only ``_timezone``, ``_capacity_<d>`` and ``_capacity_add`` are rewritten; every other
option (``_capacity``, ``_max_capacity``, credentials ...) keeps its value and place.
"""

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from apps.capacity.grid import (
    DEFAULT_MAX_CAPACITY,
    HOURS,
    CapacityError,
    capacity_day,
    parse_capacity,
)
from apps.core.config import Options
from apps.officehours.editor import day_ranges, replace_options
from apps.officehours.rules import DAY_NAMES, DEFAULT_TIMEZONE

DEFAULT_REQUEST_TIME_BUCKET = 5  # minutes, a callback service's _request_time_bucket
MONDAY = date(2024, 1, 1)  # any Monday: the rows run Mon..Sun, capacity_day() gives their d
_WHOLE = re.compile(r"-?[0-9]+")
_DAY_OPTION = re.compile(r"_capacity_[0-9]+")

# The form posts one list per field: capacity_<d> (24 cells each), exception_date,
# exception_cell (24 cells per exception row, in row order), timezone.
FormData = Mapping[str, Sequence[str]]


def is_edited_option(option: str) -> bool:
    """Whether the editor owns this option (and so rewrites it on save)."""
    return option in ("_timezone", "_capacity_add") or bool(_DAY_OPTION.fullmatch(option))


def kept_options(options: Mapping[str, str]) -> Options:
    """The options the editor leaves alone, listed on the page so nothing is a surprise."""
    return {name: value for name, value in options.items() if not is_edited_option(name)}


def weekday_keys() -> list[str]:
    """The ``d`` of ``_capacity_<d>`` for Mon..Sun, from the one place that numbers days."""
    return [str(capacity_day(MONDAY + timedelta(days=i))) for i in range(len(DAY_NAMES))]


@dataclass
class CapacityRow:
    """A weekday (``key`` = d) or a date exception (``key`` = YYYY-MM-DD): 24 cells as typed."""

    key: str
    label: str
    cells: list[str]

    @property
    def total(self) -> int:
        """Sum of the cells that are whole numbers: capacity per bucket, over the day's hours."""
        return sum(int(cell) for cell in self.cells if _WHOLE.fullmatch(cell))


@dataclass
class CapacityEditor:
    timezone: str = DEFAULT_TIMEZONE
    week: list[CapacityRow] = field(default_factory=list)
    exceptions: list[CapacityRow] = field(default_factory=list)
    max_capacity: int = DEFAULT_MAX_CAPACITY

    @property
    def weekly_total(self) -> int:
        return sum(row.total for row in self.week)


def editor_from_options(options: Mapping[str, str]) -> CapacityEditor:
    """The editor of a stored section. Raises CapacityError when it does not parse."""
    plan = parse_capacity(options)
    week = [
        CapacityRow(key, name, [str(n) for n in plan.days.get(int(key), (0,) * len(HOURS))])
        for key, name in zip(weekday_keys(), DAY_NAMES, strict=True)
    ]
    exceptions = [
        CapacityRow(day.isoformat(), day.isoformat(), [str(n) for n in hours])
        for day, hours in sorted(plan.exceptions.items())
    ]
    return CapacityEditor(
        timezone=plan.timezone, week=week, exceptions=exceptions, max_capacity=plan.max_capacity
    )


def editor_from_form(data: FormData, max_capacity: int) -> CapacityEditor:
    """The editor as posted; an exception row with no date and no capacity is dropped."""

    def values(name: str) -> list[str]:
        return [value.strip() for value in data.get(name, [])]

    def cells(texts: list[str]) -> list[str]:
        return (texts + [""] * len(HOURS))[: len(HOURS)]

    week = [
        CapacityRow(key, name, cells(values(f"capacity_{key}")))
        for key, name in zip(weekday_keys(), DAY_NAMES, strict=True)
    ]
    flat = values("exception_cell")
    exceptions = []
    for row, day in enumerate(values("exception_date")):
        hours = cells(flat[row * len(HOURS) : (row + 1) * len(HOURS)])
        if day or any(cell not in ("", "0") for cell in hours):
            exceptions.append(CapacityRow(day, day, hours))
    timezone = next(iter(values("timezone")), "") or DEFAULT_TIMEZONE
    return CapacityEditor(
        timezone=timezone, week=week, exceptions=exceptions, max_capacity=max_capacity
    )


def options_from_editor(options: Mapping[str, str], editor: CapacityEditor) -> Options:
    """The section's options with the editor's zone, weekly grid and exceptions in place
    of the old ones: ``_capacity_<d>`` lists the nonzero hours only, in d order."""
    edited = {"_timezone": editor.timezone}
    for row in sorted(editor.week, key=lambda row: int(row.key)):
        edited[f"_capacity_{row.key}"] = _compact({row.key: hour_map(row.cells)})
    # Pairs, not a dict: a date given twice reaches the validator, which names it.
    edited["_capacity_add"] = (
        "{"
        + ",".join(
            f"{json.dumps(row.key)}:{_compact(hour_map(row.cells))}" for row in editor.exceptions
        )
        + "}"
    )
    return replace_options(options, is_edited_option, edited)


def hour_map(cells: Sequence[str]) -> dict[str, Any]:
    """``{"HH00": n}`` of the nonzero cells; a cell that is not a whole number stays text."""
    hours: dict[str, Any] = {}
    for hour, cell in zip(HOURS, cells, strict=False):
        value: Any = int(cell) if _WHOLE.fullmatch(cell) else cell
        if value not in (0, ""):
            hours[f"{hour:02d}00"] = value
    return hours


def _compact(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


# --- what a cell means ------------------------------------------------------------------------


@dataclass(frozen=True)
class BucketUse:
    """A callback service booking against this capacity, with its bucket size."""

    callback: str
    minutes: int

    @property
    def per_hour(self) -> str:
        """How many buckets an hour holds: a cell of N accepts N x this many callbacks an hour."""
        return f"{60 / self.minutes:g}"


def bucket_uses(name: str, callbacks: Mapping[str, Mapping[str, str]]) -> list[BucketUse]:
    """The callback services whose ``_capacity_service`` is ``name``: the capacity of a cell
    applies to EACH of their ``_request_time_bucket`` (capacity.md §4)."""
    uses = []
    for callback, options in callbacks.items():
        if options.get("_capacity_service", "").strip() != name:
            continue
        text = options.get("_request_time_bucket", "").strip()
        minutes = int(text) if text.isdigit() and int(text) > 0 else DEFAULT_REQUEST_TIME_BUCKET
        uses.append(BucketUse(callback, minutes))
    return uses


def summary(options: Mapping[str, str]) -> str:
    """One line for the services list: the days with capacity, the weekly total, exceptions."""
    try:
        editor = editor_from_options(options)
    except CapacityError as error:
        return f"Invalid: {error}"
    open_days = [i for i, row in enumerate(editor.week) if row.total]
    parts = [
        f"Capacity {day_ranges(open_days)}" if open_days else "No weekly capacity",
        f"weekly total {editor.weekly_total}",
    ]
    if editor.exceptions:
        n = len(editor.exceptions)
        parts.append(f"{n} date exception{'' if n == 1 else 's'}")
    return " · ".join(parts)
