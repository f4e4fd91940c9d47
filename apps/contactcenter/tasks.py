"""Celery beat's offer sweeper (settings.CELERY_BEAT_SCHEDULE, every few seconds)."""

from celery import shared_task

from apps.contactcenter import services


@shared_task(name="apps.contactcenter.tasks.expire_offers")
def expire_offers() -> int:
    """Return unanswered offers to their queue, then route every queue.

    The routing pass also catches up with anything an after-commit routing
    missed (a crash between commit and routing): the database is the schedule.
    """
    expired = services.expire_offers()
    services.route()
    return len(expired)
