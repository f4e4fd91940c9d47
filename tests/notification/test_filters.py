"""Filter matching (notification.md §4): ``*`` is any run of characters, the rest literal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.notification.models import Subscription, literal_prefix
from apps.notification.selectors import matching_subscriptions

pytestmark = pytest.mark.django_db

CASES = [
    ("*", "push.demo", True),
    ("*", "", True),
    ("ors.contact.*", "ors.contact.12345678", True),
    ("ors.contact.*", "ors.contact.", True),
    ("ors.contact.*", "ors.contact", False),
    ("ors.contact.*", "ors.contactX12", False),
    ("ors.*", "ors.contact.12345678", True),  # dots included
    ("*.42", "ors.contact.42", True),
    ("ors.*.42", "ors.contact.42", True),
    ("ors.*.42", "ors.contact.43", False),
    ("a*b*c", "aXXbYYc", True),
    ("a*b*c", "acb", False),
    ("**", "anything", True),
    ("push.demo", "push.demo", True),
    ("push.demo", "push.demo2", False),
    ("push.demo", "xpush.demo", False),
    ("push.demo", "Push.Demo", False),  # case-sensitive
    ("push.demo", "pushXdemo", False),  # a dot is a dot
    ("ors.?", "ors.x", False),  # ? is literal
    ("ors.?", "ors.?", True),
    ("a[bc]", "ab", False),  # [ is literal
    ("a[bc]", "a[bc]", True),
    ("a+", "aa", False),
    ("line*", "line\nbreak", True),
    ("ünï.*", "ünï.cödé", True),
]


def _subscribe(filter: str, *, seconds: int = 60) -> Subscription:
    return Subscription.objects.create(
        subscriber_id="s",
        filter=filter,
        type="httpcb",
        device_id="http://127.0.0.1/",
        expires_at=timezone.now() + timedelta(seconds=seconds),
    )


@pytest.mark.parametrize(("filter", "tag", "expected"), CASES)
def test_a_filter_matches_a_tag(filter, tag, expected) -> None:
    assert _subscribe(filter).matches(tag) is expected


@pytest.mark.parametrize("tag", sorted({tag for _, tag, _ in CASES}))
def test_the_database_narrowing_keeps_every_match(tag) -> None:
    """could_match() is only a pre-selection: it never loses a subscription that matches."""
    subscriptions = [_subscribe(filter) for filter in sorted({f for f, _, _ in CASES})]
    expected = {s.id for s in subscriptions if s.matches(tag)}
    assert {s.id for s in matching_subscriptions(tag)} == expected
    assert len(Subscription.objects.could_match(tag)) < len(subscriptions)


def test_expired_subscriptions_never_match() -> None:
    live = _subscribe("*")
    _subscribe("*", seconds=-1)
    assert matching_subscriptions("push.demo") == [live]


@pytest.mark.parametrize(
    ("filter", "prefix"), [("*", ""), ("ors.*", "ors."), ("a*b*", "a"), ("exact", "exact")]
)
def test_literal_prefix(filter, prefix) -> None:
    assert literal_prefix(filter) == prefix
    assert _subscribe(filter).filter_prefix == prefix
