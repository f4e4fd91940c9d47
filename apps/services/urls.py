"""Service API routes. Mounted under /genesys/ after apps.callback and apps.stat, whose
``1/service/callback/...``, ``1/service/ewt-for-vq`` and ``1/service/{id}/check-queue-position``
are more specific; here ``storage`` paths come before a named request."""

from django.urls import path

from apps.services import apis

urlpatterns = [
    path(
        "1/service/<str:service_id>/storage/binary/<str:key>",
        apis.ServiceDataBinaryView.as_view(),
        name="service-storage-binary",
    ),
    path(
        "1/service/<str:service_id>/storage/<str:key>",
        apis.ServiceDataKeyView.as_view(),
        name="service-storage-key",
    ),
    path(
        "1/service/<str:service_id>/storage",
        apis.ServiceDataView.as_view(),
        name="service-storage",
    ),
    path(
        "1/service/<str:service_id>/<str:request_name>",
        apis.ServiceRequestView.as_view(),
        name="service-request",
    ),
    path("1/service/<str:service_name>", apis.ServiceView.as_view(), name="service"),
]
