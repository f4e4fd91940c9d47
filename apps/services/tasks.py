"""Celery beat's sweeper (settings.CELERY_BEAT_SCHEDULE): expired instances and reservations go."""

from celery import shared_task

from apps.services import services


@shared_task(name="apps.services.tasks.purge_expired_services")
def purge_expired_services() -> int:
    return services.purge_expired()
