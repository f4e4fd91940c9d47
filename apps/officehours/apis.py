"""Calendar query (calendar.md §2): ``GET /genesys/1/service/{office-hours service}``."""

from datetime import datetime, timedelta

from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.config import Options
from apps.core.times import now, parse_utc
from apps.officehours import selectors
from apps.services import registry

MAX_DAYS = 366


@registry.register("office-hours", "GET")
def query_office_hours(request: Request, service_name: str, options: Options) -> Response:
    """No parameter: is the office open now? Else every open period of the days in range.

    ``number-of-days`` is also accepted as ``number-of-days-ahead_days``, the spelling
    of one doc paragraph. A range longer than a year is refused (our choice), so one
    request cannot ask for an unbounded computation.
    """
    hours = selectors.office_hours_of(options)
    params = request.query_params
    days_text = params.get("number-of-days", params.get("number-of-days-ahead_days"))
    if "start" not in params and "end" not in params and days_text is None:
        return Response(selectors.periods_now(hours, now()))
    start = _time(params, "start") if "start" in params else now()
    days = _days(days_text) if days_text is not None and "end" not in params else 0
    try:
        end = _time(params, "end") if "end" in params else start + timedelta(days=days)
        if end < start:
            raise selectors.calendar_error("end is before start", status=400)
        if end - start > timedelta(days=MAX_DAYS):
            raise selectors.calendar_error(f"The range is longer than {MAX_DAYS} days", status=400)
        return Response(selectors.periods_between(hours, start, end))
    except (ValueError, OverflowError) as error:  # beyond the years the calendar covers
        raise selectors.calendar_error(f"Invalid date range: {error}", status=400) from None


def _time(params, name: str) -> datetime:
    try:
        return parse_utc(params[name])
    except (ValueError, OverflowError):
        raise selectors.calendar_error(
            f"Invalid date format for {name}: {params[name]}", status=400
        ) from None


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_DAYS:
        raise selectors.calendar_error(f"Invalid number-of-days: {text}", status=400)
    return days
