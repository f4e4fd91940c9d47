"""Celery beat tasks (settings.CELERY_BEAT_SCHEDULE): the dispatcher and the purge."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from apps.callback import services


@shared_task(name="apps.callback.tasks.dispatch_due")
def dispatch_due() -> int:
    """Submit due scheduled callbacks; several nodes may run it at once."""
    return len(services.claim_due(now=timezone.now(), node=settings.GMS_NODE_ID))


@shared_task(name="apps.callback.tasks.purge_expired_callbacks")
def purge_expired_callbacks() -> int:
    return services.purge_expired(now=timezone.now())
