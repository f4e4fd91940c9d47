"""The delivery task (one attempt per run, retried 5 s then 15 s later: push.md §7) and
the sweeper of expired subscriptions."""

import logging

from celery import shared_task

from apps.notification import delivery, services

logger = logging.getLogger(__name__)

# Waits before the 2nd and the 3rd attempt (push.md §7). A caller allowing more attempts
# (``_status_notification_attempts``) waits the last value again (our choice).
RETRY_WAITS = (5, 15)


@shared_task(bind=True, name="apps.notification.tasks.deliver", max_retries=None)
def deliver(
    self, channel: str, target: str, message: str, attempts: int, authorization: str = ""
) -> bool:
    """Deliver once; on failure retry until ``attempts`` were made, then log and drop.

    Never raises for a delivery failure: nothing waits for the outcome (push.md §7).
    """
    attempt = self.request.retries + 1
    try:
        delivery.send(channel, target, message, authorization)
    except delivery.DeliveryError as error:
        if attempt >= attempts:
            logger.warning(
                "Push %s to %s dropped after %d attempt(s): %s", channel, target, attempt, error
            )
            return False
        wait = RETRY_WAITS[min(attempt, len(RETRY_WAITS)) - 1]
        logger.info("Push %s to %s failed (%s); retrying in %d s", channel, target, error, wait)
        raise self.retry(countdown=wait) from error
    return True


@shared_task(name="apps.notification.tasks.purge_expired_subscriptions")
def purge_expired_subscriptions() -> int:
    """Celery beat's sweeper (settings.CELERY_BEAT_SCHEDULE): expired subscriptions go."""
    return services.purge_expired_subscriptions()
