"""Notification subscriptions (notification.md §2.1, §5): who gets the events a tag filter matches."""

import re
import uuid
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

# notification.md §5: ``[push] defaultSubscriptionExpiration`` is an integer ≥ 30; unset
# or invalid means 30.
DEFAULT_EXPIRATION = 30
# No upper bound (§5, our choice), but the expiry must stay a date the database can hold.
LONGEST_EXPIRATION = 100 * 365 * 24 * 3600
WILDCARD = "*"


def new_subscription_id() -> str:
    """notification.md §2.2, our choice: a random UUID4, canonical lower-case form."""
    return str(uuid.uuid4())


def literal_prefix(filter: str) -> str:
    """The text every tag the filter matches starts with: all before the first ``*``."""
    return filter.split(WILDCARD, 1)[0]


def filter_pattern(filter: str) -> re.Pattern[str]:
    """notification.md §4 (grammar UNCONFIRMED; the spec's choice): ``*`` is any run of
    characters, dots included; every other character, ``?`` and ``[`` too, is literal;
    case-sensitive, matched against the whole tag."""
    return re.compile(".*".join(re.escape(part) for part in filter.split(WILDCARD)), re.DOTALL)


class SubscriptionQuerySet(models.QuerySet):
    def live(self) -> "SubscriptionQuerySet":
        """Subscriptions not yet expired: an expired one is never matched (§5)."""
        return self.filter(expires_at__gt=timezone.now())

    def expired(self) -> "SubscriptionQuerySet":
        return self.filter(expires_at__lte=timezone.now())

    def could_match(self, tag: str) -> "SubscriptionQuerySet":
        """Those whose filter's literal prefix starts ``tag``: the only ones that can match it.

        An equality lookup on an indexed column, so a publish reads the candidates
        instead of every subscription; :meth:`Subscription.matches` decides.
        """
        prefixes = {tag[:end] for end in range(len(tag) + 1)}
        return self.filter(filter_prefix__in=prefixes)


class Subscription(models.Model):
    """One subscriber's interest in the tags its ``filter`` matches, and where to push them.

    ``type`` and ``device_id`` are ``notificationDetails.type``/``deviceId`` (push.md §1
    says what the device id means per channel). ``gms_user`` is the header of the
    subscribe request, kept for the logs and never checked (our choice, §1).
    """

    id = models.CharField(primary_key=True, max_length=36, default=new_subscription_id)
    subscriber_id = models.TextField()
    filter = models.TextField()
    # literal_prefix(filter), kept by save(): what could_match() looks up.
    filter_prefix = models.TextField(db_index=True, editable=False)
    type = models.CharField(max_length=16)
    device_id = models.TextField()
    properties = models.JSONField(default=dict, blank=True)
    provider_name = models.TextField(blank=True, default="")
    authorization = models.TextField(blank=True, default="")
    gms_user = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.filter} -> {self.type}:{self.device_id}"

    def save(self, *args, **kwargs) -> None:
        self.filter_prefix = literal_prefix(self.filter)
        super().save(*args, **kwargs)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def expiry_for(seconds: int) -> datetime:
        """``created_at + expire`` (§5), clamped to a date every database stores."""
        return timezone.now() + timedelta(seconds=min(seconds, LONGEST_EXPIRATION))

    def matches(self, tag: str) -> bool:
        return filter_pattern(self.filter).fullmatch(tag) is not None
