"""Celery beat tasks (settings.CELERY_BEAT_SCHEDULE): the dispatcher, pausing, the
reconciliation with the contact center and the purge."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from apps.callback import lifecycle, services

DISPATCH_ENTRY = "dispatch-due-callbacks"


def _beat_period() -> timedelta:
    entry = settings.CELERY_BEAT_SCHEDULE.get(DISPATCH_ENTRY, {})
    return timedelta(seconds=float(entry.get("schedule", 2)))


@shared_task(name="apps.callback.tasks.dispatch_due")
def dispatch_due() -> int:
    """Submit due scheduled callbacks until the next beat tick; several nodes may run it
    at once. It holds its worker only while callbacks fall due before that tick."""
    until = timezone.now() + _beat_period()
    return len(services.dispatch_until(node=settings.GMS_NODE_ID, until=until))


@shared_task(name="apps.callback.tasks.resume_paused_callbacks")
def resume_paused_callbacks() -> int:
    """Follow the paused list: pause the waiting QUEUED callbacks of paused services, then
    queue again the PAUSED ones of services taken off it; how many callbacks moved."""
    now, node = timezone.now(), settings.GMS_NODE_ID
    paused = services.pause_queued(now=now, node=node)
    return len(paused) + len(services.resume_paused(now=now, node=node))


@shared_task(name="apps.callback.tasks.reconcile_callbacks")
def reconcile_callbacks() -> int:
    """Bring callbacks whose lifecycle hook was skipped in line with their interaction."""
    return len(lifecycle.reconcile(now=timezone.now()))


@shared_task(name="apps.callback.tasks.purge_expired_callbacks")
def purge_expired_callbacks() -> int:
    return services.purge_expired(now=timezone.now())
