"""Subscriptions in the Django admin: listed and shown, never edited, the credential hidden."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.notification.models import Subscription

pytestmark = pytest.mark.django_db


def test_subscriptions_are_shown_without_their_authorization(admin_client) -> None:
    subscription = Subscription.objects.create(
        subscriber_id="a41f9c0e7d2b6e13",
        filter="ors.contact.*",
        type="customhttp",
        device_id="crm-user-8812",
        authorization="c2VjcmV0LXZhbHVl",
        expires_at=timezone.now() + timedelta(minutes=5),
    )
    listing = admin_client.get("/admin/notification/subscription/?q=crm-user")
    assert listing.status_code == 200
    assert b"crm-user-8812" in listing.content
    detail = admin_client.get(f"/admin/notification/subscription/{subscription.pk}/change/")
    assert detail.status_code == 200
    assert b"ors.contact.*" in detail.content
    assert b"c2VjcmV0LXZhbHVl" not in detail.content
    assert admin_client.get("/admin/notification/subscription/add/").status_code == 403
    admin_client.post(
        f"/admin/notification/subscription/{subscription.pk}/delete/", {"post": "yes"}
    )
    assert not Subscription.objects.exists()
