"""Subscriptions for operators: look, search, and delete one; they only come in through the API.

The ``authorization`` value is a credential for the subscriber's target: never shown.
"""

from django.contrib import admin
from django.http import HttpRequest

from apps.notification.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["id", "filter", "type", "device_id", "subscriber_id", "expires_at", "expired"]
    list_filter = ["type"]
    search_fields = ["id", "filter", "device_id", "subscriber_id", "gms_user"]
    fields = [
        "id",
        "subscriber_id",
        "gms_user",
        "filter",
        "type",
        "device_id",
        "properties",
        "provider_name",
        "created_at",
        "expires_at",
    ]
    readonly_fields = fields

    @admin.display(boolean=True, description="expired")
    def expired(self, subscription: Subscription) -> bool:
        return subscription.is_expired

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Subscription | None = None) -> bool:
        return False
