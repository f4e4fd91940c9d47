"""Node API (node.md): the load balancer's health probe and the admin switch."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request

from apps.core.schema import ADMIN_AUTH, error_responses
from apps.core.views import GMSView
from apps.node import selectors, services

TEXT_LATIN1 = "text/plain;charset=ISO-8859-1"


class NodeStatusView(GMSView):
    """``GET /genesys/1/admin/node/status`` (and the ``/genesys/admin/1/...`` alias)."""

    admin_only = True

    @extend_schema(
        summary="Node status for load balancers",
        responses={
            (200, "text/plain"): OpenApiResponse(OpenApiTypes.STR, description="ONLINE or OFFLINE"),
            **error_responses(401, 403),
        },
        auth=ADMIN_AUTH,
        tags=["node"],
    )
    def get(self, request: Request) -> HttpResponse:
        response = HttpResponse(selectors.node_status(), content_type=TEXT_LATIN1)
        # node.md §2.1: a health probe must never be answered from a cache.
        response["Cache-Control"] = "no-cache"
        return response


class ChangeStatusView(GMSView):
    """``POST /genesys/1/admin/node/changestatus/{status}``: ONLINE, or OFFLINE to drain."""

    admin_only = True

    @extend_schema(
        summary="Change the node status",
        request=None,
        parameters=[
            OpenApiParameter("status", str, OpenApiParameter.PATH, enum=["ONLINE", "OFFLINE"])
        ],
        responses={
            200: OpenApiResponse(description="Changed; empty body"),
            **error_responses(400, 401, 403),
        },
        auth=ADMIN_AUTH,
        tags=["node"],
    )
    def post(self, request: Request, status: str) -> HttpResponse:
        services.change_status(status=services.parse_status(status))
        return HttpResponse(b"", content_type=TEXT_LATIN1)


class LegacyPingView(GMSView):
    """``GET /genesys/1/node`` (8.1.1): 200 when ONLINE, 503 when OFFLINE, never authenticated."""

    public = True

    @extend_schema(
        summary="Legacy ping for load balancers",
        responses={
            200: OpenApiResponse(description="ONLINE"),
            503: OpenApiResponse(description="OFFLINE"),
            **error_responses(403),
        },
        auth=[],
        tags=["node"],
    )
    def get(self, request: Request) -> HttpResponse:
        status = 200 if selectors.is_accepting_work() else 503
        return HttpResponse(b"", status=status, content_type=TEXT_LATIN1)
