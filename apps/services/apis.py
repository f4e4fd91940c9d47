"""Service API (service.md): ``/genesys/1/service/{name}`` dispatched by the service's kind."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request

from apps.core.errors import SERVICE_NOT_FOUND, GMSError, NotFound
from apps.core.schema import BASIC_AUTH, error_responses
from apps.core.selectors import get_section
from apps.core.views import GMSView
from apps.services import registry


class ServiceView(GMSView):
    """``GET /genesys/1/service/{name}``: the query of a builtin service (office hours, capacity)."""

    def get_auth_scope(self) -> str:
        return f"service.{self.kwargs['service_name']}"

    @extend_schema(
        summary="Query a builtin service (office hours, capacity)",
        description=(
            "Answers as the service's `_service` kind says: `office-hours` (calendar.md §2: "
            "`start`, `end`, `number-of-days`) or `capacity` (capacity.md §2: `start`, `end`, "
            "`timezone`)."
        ),
        parameters=[
            OpenApiParameter(
                "start", str, description="ISO-8601 (UTC for office hours, local for capacity)"
            ),
            OpenApiParameter("end", str, description="ISO-8601, as start"),
            OpenApiParameter("number-of-days", int, description="office hours: days after start"),
            OpenApiParameter("timezone", str, description="capacity: IANA zone of start/end"),
        ],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The service's answer"),
            **error_responses(400, 401, 403, 404, 405),
        },
        auth=BASIC_AUTH,
        tags=["service"],
    )
    def get(self, request: Request, service_name: str) -> HttpResponse:
        return self.dispatch_to_kind(request, service_name)

    def dispatch_to_kind(self, request: Request, service_name: str) -> HttpResponse:
        options = get_section(f"service.{service_name}")
        if options is None:
            raise NotFound(f"Service {service_name} not found", exception=SERVICE_NOT_FOUND)
        kind = options.get("_service", "")
        handler = registry.handler_for(kind, request.method)
        if handler is None:
            # The path is served, but this kind of service does not answer this method.
            self.headers["Allow"] = ", ".join(registry.methods_of(kind))
            raise GMSError(f"Service {service_name} does not answer {request.method}", status=405)
        return handler(request, service_name, options)
