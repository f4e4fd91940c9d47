"""Writes of the Notification API (notification.md) and the queue of pushes every app uses.

Subscribe stores a :class:`Subscription`; publish turns an event into one push per
matching live subscription (plus the event's own target) and queues them. Delivery is
asynchronous (``apps.notification.tasks``): publish never fails because of it.

Channels without a provider yet (``android``, ``fcm``, ``gcm``, ``ios``, ``orscb``,
``comet``) may be subscribed to when ``[push] pushEnabled`` lists them; their pushes are
logged and skipped by :func:`queue`, as for any other caller.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from kombu.exceptions import OperationalError

from apps.core.errors import BadRequest, NotFound
from apps.core.selectors import get_section
from apps.core.text import is_storable_text
from apps.notification import delivery, localization, selectors, tasks
from apps.notification.models import DEFAULT_EXPIRATION, Subscription

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
    # The subscription's credential for its target (customhttp's Authorization header).
    authorization: str = ""


@dataclass(frozen=True)
class Target:
    """An event's own ``notificationDetails`` (§2.3): one more target for this event."""

    type: str
    device_id: str
    properties: Mapping[str, str] = field(default_factory=dict)


def queue(pushes: Iterable[Push]) -> int:
    """Queue each push whose channel ``[push] pushEnabled`` lists and a provider serves.

    A push for a disabled channel, or one without a provider yet (``fcm``, ``ios``,
    ``comet``...), is logged and skipped, and so is one the broker refused: delivery
    never fails the caller (push.md §7). Returns how many were queued. Call it after
    the commit of what they announce.
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
            try:
                tasks.deliver.delay(
                    push.channel,
                    push.target,
                    push.message,
                    max(push.attempts, 1),
                    push.authorization,
                )
            except OperationalError as error:
                logger.error("Push %s to %s not queued: %s", push.channel, push.target, error)
                continue
            queued += 1
    return queued


def default_expiration() -> int:
    """``[push] defaultSubscriptionExpiration``: an integer ≥ 30; unset or invalid → 30 (§5).

    Read on every subscribe, so an edit applies at once rather than after a restart.
    """
    text = (get_section("push") or {}).get("defaultSubscriptionExpiration", "").strip()
    seconds = int(text) if text.isascii() and text.isdigit() else 0
    return seconds if seconds >= DEFAULT_EXPIRATION else DEFAULT_EXPIRATION


def _require_enabled(channel: str) -> None:
    """§2.1, our choice: a type ``[push] pushEnabled`` leaves out is a 400."""
    if channel not in delivery.enabled_channels():
        raise BadRequest(f"notificationDetails.type: {channel!r} is not in [push] pushEnabled")


@transaction.atomic
def subscribe(
    *,
    subscriber_id: str,
    filter: str,
    type: str,
    device_id: str,
    properties: Mapping[str, str] | None = None,
    provider_name: str = "",
    authorization: str = "",
    expire: int | None = None,
    gms_user: str = "",
) -> Subscription:
    """A new subscription (§3.1): a new id each time, even for the same subscriber.

    ``expire`` ≤ 0 or left out means the default (§2.1). An unknown ``providerName``
    is accepted (push.md §3). ``gms_user`` is stored, never checked (§1).
    """
    _require_enabled(type)
    if not is_storable_text(gms_user):
        raise BadRequest("The gms_user header holds a NUL or an invalid character")
    seconds = expire if expire is not None and expire > 0 else default_expiration()
    return Subscription.objects.create(
        subscriber_id=subscriber_id,
        filter=filter,
        type=type,
        device_id=device_id,
        properties=dict(properties or {}),
        provider_name=provider_name,
        authorization=authorization,
        gms_user=gms_user,
        expires_at=Subscription.expiry_for(seconds),
    )


def unsubscribe(*, subscription_id: str) -> None:
    """§3.2: an unknown or expired id is a 404 (our choice)."""
    deleted, _ = Subscription.objects.live().filter(id=subscription_id).delete()
    if not deleted:
        raise NotFound(f"Subscription {subscription_id} not found")


def publish(
    *, tag: str, message: str, media_type: str = "string", target: Target | None = None
) -> int:
    """§3.3: one push per matching live subscription, and one to ``target`` when given.

    Two subscriptions on one device get two pushes (§4). The event's own target gets
    one more unless a matching subscription already pushes to the same (type,
    deviceId) pair (§2.3, our reading of "once per distinct pair"). A ``target`` whose
    type ``pushEnabled`` leaves out is a 400, as on subscribe. Nothing matching is
    still a success. Returns how many pushes were queued.
    """
    if target is not None:
        _require_enabled(target.type)
    texts = localization.Localizer(message, media_type=media_type, tag=tag)
    pushes = [
        Push(
            subscription.type,
            subscription.device_id,
            texts.text(subscription.properties, subscription.provider_name),
            authorization=subscription.authorization,
        )
        for subscription in selectors.matching_subscriptions(tag)
    ]
    if target is not None and (target.type, target.device_id) not in {
        (push.channel, push.target) for push in pushes
    }:
        pushes.append(Push(target.type, target.device_id, texts.text(target.properties)))
    return queue(pushes)


def purge_expired_subscriptions() -> int:
    """Expired subscriptions leave the database (§5: they may be purged at any time)."""
    deleted, _ = Subscription.objects.expired().delete()
    return deleted
