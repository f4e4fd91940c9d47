"""Celery beat's sweeper (settings.CELERY_BEAT_SCHEDULE): expired areas leave the database."""

from celery import shared_task

from apps.storage import services


@shared_task(name="apps.storage.tasks.purge_expired_storage")
def purge_expired_storage() -> int:
    return services.purge_expired_storage()
