"""Reads of the callbacks admin page (/manage/callbacks/)."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet

from apps.callback.models import Callback
from apps.callback.selectors import live


def listed(
    *,
    service_names: Iterable[str] | None,
    states: Iterable[str] | None,
    start: datetime | None,
    end: datetime | None,
    now: datetime,
) -> QuerySet[Callback]:
    """Live callbacks (as the API sees them) matching the page's filters, by desired time.

    None leaves a filter out; ``start`` and ``end`` bound the desired time, both included.
    A query set, so the page counts and pages it in the database.
    """
    rows = Callback.objects.filter(live(now))
    if service_names is not None:
        rows = rows.filter(service_name__in=list(service_names))
    if states is not None:
        rows = rows.filter(state__in=list(states))
    if start is not None:
        rows = rows.filter(desired_time__gte=start)
    if end is not None:
        rows = rows.filter(desired_time__lte=end)
    return rows.order_by("desired_time", "created_at", "pk")
