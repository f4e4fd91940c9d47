"""Capacity query (capacity.md §2): ``GET /genesys/1/service/{capacity service}``."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rest_framework.request import Request
from rest_framework.response import Response

from apps.capacity import selectors
from apps.core.config import Options
from apps.core.times import parse_local
from apps.services import registry

MAX_RANGE = timedelta(days=366)


@registry.register("capacity", "GET")
def query_capacity(request: Request, service_name: str, options: Options) -> Response:
    """``start`` and ``end`` are local times of ``timezone`` (default: the service's own).

    Bookings are not subtracted here; callback availability reports them (our choice,
    capacity.md §2.1). A range over a year is refused (our choice).
    """
    plan = selectors.capacity_plan_of(options)
    params = request.query_params
    zone = _zone(params.get("timezone") or plan.timezone)
    start, end = _local(params, "start"), _local(params, "end")
    if end <= start:
        raise selectors.capacity_error("end must be after start", status=400)
    if end - start > MAX_RANGE:
        raise selectors.capacity_error("The range is longer than 366 days", status=400)
    try:
        return Response(selectors.capacity_periods(plan, start, end, zone))
    except (ValueError, OverflowError) as error:  # times beyond the years the grid covers
        raise selectors.capacity_error(str(error), status=400) from None


def _local(params, name: str) -> datetime:
    if not params.get(name):
        raise selectors.capacity_error(f"Parameter {name} is mandatory", status=400)
    try:
        return parse_local(params[name])
    except (ValueError, OverflowError):
        raise selectors.capacity_error(
            f"Invalid date format for {name}: {params[name]}", status=400
        ) from None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise selectors.capacity_error(f"Unknown timezone {name}", status=400) from None
