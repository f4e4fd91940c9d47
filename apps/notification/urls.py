"""Notification API routes (notification.md §3)."""

from django.urls import path

from apps.notification import apis

urlpatterns = [
    path(
        "1/notification/subscription",
        apis.SubscriptionsView.as_view(),
        name="notification-subscribe",
    ),
    path(
        "1/notification/subscription/<str:id>",
        apis.SubscriptionView.as_view(),
        name="notification-subscription",
    ),
    path("1/notification/publish", apis.PublishView.as_view(), name="notification-publish"),
]
