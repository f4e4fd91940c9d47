from django.urls import path

from apps.node import apis

urlpatterns = [
    path("1/admin/node/status", apis.NodeStatusView.as_view(), name="node-status"),
    path("admin/1/node/status", apis.NodeStatusView.as_view(), name="node-status-alias"),
    path(
        "1/admin/node/changestatus/<str:status>",
        apis.ChangeStatusView.as_view(),
        name="node-changestatus",
    ),
    path("1/node", apis.LegacyPingView.as_view(), name="node-ping"),
]
