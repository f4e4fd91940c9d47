"""Callback Services routes. Mounted under /genesys/ before apps.stat and apps.services,
whose ``1/service/<service_name>`` would otherwise take ``1/service/callback``.

``agent_urlpatterns`` belong under /api/ (``path("api/", include(agent_urlpatterns))``)."""

from django.urls import path

from apps.callback import apis

urlpatterns = [
    path("1/admin/callback/queues", apis.AdminQueuesView.as_view(), name="callback-admin-queues"),
    path(
        "1/admin/callback/watermarks",
        apis.AdminWatermarksView.as_view(),
        name="callback-admin-watermarks",
    ),
    path("1/admin/callback/cancel", apis.AdminCancelView.as_view(), name="callback-admin-cancel"),
    path(
        "1/admin/callback/reportcancelled",
        apis.AdminReportCancelledView.as_view(),
        name="callback-admin-report-cancelled",
    ),
    path("1/service/callback", apis.CallbackQueryView.as_view(), name="callback-query"),
    path(
        "1/service/callback/<str:service_name>",
        apis.CallbackServiceView.as_view(),
        name="callback-service",
    ),
    path(
        "1/service/callback/<str:service_name>/availability",
        apis.AvailabilityV1View.as_view(),
        name="callback-availability",
    ),
    path(
        "2/service/callback/<str:service_name>/availability",
        apis.AvailabilityV2View.as_view(),
        name="callback-availability-v2",
    ),
    path(
        "1/service/callback/<str:service_name>/<str:callback_id>",
        apis.CallbackItemView.as_view(),
        name="callback-item",
    ),
]

agent_urlpatterns = [
    path(
        "agent/callbacks/<int:interaction_id>/outcome",
        apis.OutcomeView.as_view(),
        name="agent-callback-outcome",
    ),
]
