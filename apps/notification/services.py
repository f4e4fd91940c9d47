"""Queueing pushes for delivery: the one door other apps use to notify someone."""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from apps.notification import delivery, tasks

logger = logging.getLogger(__name__)

# push.md §7: at most 3 attempts in all.
DEFAULT_ATTEMPTS = 3


@dataclass(frozen=True)
class Push:
    """One message for one target over one channel (push.md §1 names the channels)."""

    channel: str
    target: str
    message: str
    attempts: int = DEFAULT_ATTEMPTS


def queue(pushes: Iterable[Push]) -> int:
    """Queue each push whose channel ``[push] pushEnabled`` lists and a provider serves.

    A push for a disabled channel, or one without a provider yet (``fcm``, ``ios``,
    ``comet``...), is logged and skipped: delivery never fails the caller (push.md §7).
    Returns how many were queued. Call it after the commit of what they announce.
    """
    pushes = list(pushes)
    if not pushes:
        return 0
    enabled = delivery.enabled_channels()
    queued = 0
    for push in pushes:
        if push.channel not in enabled:
            logger.info("Push %s to %s skipped: not in pushEnabled", push.channel, push.target)
        elif push.channel not in delivery.PROVIDERS:
            logger.warning("Push %s to %s skipped: no provider yet", push.channel, push.target)
        elif not push.target:
            logger.warning("Push %s skipped: no target", push.channel)
        else:
            tasks.deliver.delay(push.channel, push.target, push.message, max(push.attempts, 1))
            queued += 1
    return queued
