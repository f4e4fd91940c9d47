"""Reads of office hours: a service section's rules, evaluated for the calendar query."""

from datetime import datetime, timedelta

from apps.core.config import Options
from apps.core.errors import GMSError
from apps.core.times import format_utc
from apps.officehours.rules import OfficeHours, OfficeHoursError, parse_office_hours

CALENDAR_EXCEPTION = "com.genesyslab.gsg.services.calendar.CalendarException"

Period = tuple[datetime, datetime]


def calendar_error(message: str, *, status: int) -> GMSError:
    """Calendar errors carry ``error`` beside ``message`` (calendar.md §2.3)."""
    return GMSError(message, status=status, exception=CALENDAR_EXCEPTION, extra={"error": message})


def office_hours_of(options: Options) -> OfficeHours:
    """The evaluated rules; a stored section that does not parse is a 500 (calendar.md §1.2)."""
    try:
        return parse_office_hours(options)
    except OfficeHoursError as error:
        raise calendar_error(
            f"Invalid office hours configuration: {error.option}", status=500
        ) from error


def periods_between(hours: OfficeHours, start: datetime, end: datetime) -> dict:
    """Whole open periods of each local day that [start, end] touches (calendar.md §2)."""
    return _answer(hours, hours.periods_by_local_day(start, end))


def periods_now(hours: OfficeHours, now: datetime) -> dict:
    """Is it open now? The periods that contain ``now``, under today's local date.

    Yesterday is looked at too, for an overnight period that started then.
    """
    days = hours.periods_by_local_day(now - timedelta(days=1), now)
    current = [(s, e) for _, periods in days for s, e in periods if s <= now < e]
    return _answer(hours, [(days[-1][0], current)])


def _answer(hours: OfficeHours, days: list[tuple[object, list[Period]]]) -> dict:
    def period(p: Period) -> dict[str, str]:
        return {"start": format_utc(p[0]), "end": format_utc(p[1])}

    return {
        "error": None,
        "timezone": hours.timezone,
        "periods": [period(p) for _, periods in days for p in periods],
        "days": [
            {"date": day.isoformat(), "periods": [period(p) for p in periods]}
            for day, periods in days
        ],
    }
