"""Stat Service routes. Mounted under /genesys/ before apps.services.urls, whose
``1/service/<service_name>`` would otherwise take ``1/service/ewt-for-vq``."""

from django.urls import path

from apps.stat import apis

urlpatterns = [
    path("1/statistic", apis.StatisticView.as_view(), name="statistic"),
    path("1/internal_statistic", apis.InternalStatisticView.as_view(), name="internal-statistic"),
    path("1/service/ewt-for-vq", apis.EwtForVqView.as_view(), name="ewt-for-vq"),
    path("2/ewt/<str:mode>", apis.EwtView.as_view(), name="ewt"),
    path(
        "1/service/<str:service_id>/check-queue-position",
        apis.CheckQueuePositionView.as_view(),
        name="check-queue-position",
    ),
]
