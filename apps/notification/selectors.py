"""Reads of subscriptions: which live ones an event's tag reaches (notification.md §4, §5)."""

from apps.notification.models import Subscription


def matching_subscriptions(tag: str) -> list[Subscription]:
    """Every live subscription whose filter matches ``tag``, oldest first.

    The database narrows the rows to those whose filter's literal prefix starts the
    tag; the full filter is then matched here.
    """
    candidates = Subscription.objects.live().could_match(tag)
    return [subscription for subscription in candidates if subscription.matches(tag)]
