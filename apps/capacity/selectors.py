"""Reads of capacity: a service section's grid, evaluated for the capacity query."""

from datetime import datetime
from zoneinfo import ZoneInfo

from apps.capacity.grid import CapacityError, CapacityPlan, parse_capacity
from apps.core.config import Options
from apps.core.errors import GMSError
from apps.core.times import format_local

CAPACITY_EXCEPTION = "com.genesyslab.gsg.services.capacity.CapacityException"


def capacity_error(message: str, *, status: int) -> GMSError:
    return GMSError(message, status=status, exception=CAPACITY_EXCEPTION)


def capacity_plan_of(options: Options) -> CapacityPlan:
    """The evaluated grid; a stored section that does not parse is a 500 (capacity.md §2.1)."""
    try:
        return parse_capacity(options)
    except CapacityError as error:
        raise capacity_error(
            f"Invalid capacity configuration {error.option}", status=500
        ) from error


def capacity_periods(plan: CapacityPlan, start: datetime, end: datetime, zone: ZoneInfo) -> dict:
    """Hourly capacity per bucket between two local times of ``zone`` (capacity.md §2.1).

    The grid is kept in the service's ``_timezone``; times asked in another zone are
    converted there and the periods converted back.
    """
    own = ZoneInfo(plan.timezone)

    def to_own(local: datetime) -> datetime:
        return local.replace(tzinfo=zone).astimezone(own).replace(tzinfo=None)

    def to_asked(local: datetime) -> datetime:
        return local.replace(tzinfo=own).astimezone(zone).replace(tzinfo=None)

    periods = plan.hourly_periods(to_own(start), to_own(end))
    return {
        "timezone": zone.key,
        "periods": [
            {"start": format_local(to_asked(s)), "end": format_local(to_asked(e)), "capacity": c}
            for s, e, c in periods
        ],
    }
