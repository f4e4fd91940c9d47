"""Service API (service.md §2): ``/genesys/1/service/{name}`` dispatched by the service's
kind, and the instances it creates: their data (§2.5), requests (§2.3) and deletion (§2.4).
"""

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.errors import SERVICE_NOT_FOUND, GMSError, NotFound
from apps.core.schema import BASIC_AUTH, GMSErrorSerializer, error_responses
from apps.core.views import GMSView
from apps.services import registry, selectors, services
from apps.storage.apis import ITEM_RESPONSES, STORAGE_BODY, STRINGS, item_response, storage_values

TAGS = ["service"]
ANY_VALUE = {"type": "object", "additionalProperties": True}
SERVICE_BODY = {
    "application/json": ANY_VALUE,
    "application/x-www-form-urlencoded": STORAGE_BODY["application/x-www-form-urlencoded"],
    "multipart/form-data": STORAGE_BODY["multipart/form-data"],
}
EMPTY = {200: OpenApiResponse(description="Done; empty body")}


def server_error(status: int, reason: str) -> dict[int, OpenApiResponse]:
    """A 5xx an operation documents (service.md §2.1): only from configuration or the
    node's state, never from a request's content."""
    return {status: OpenApiResponse(GMSErrorSerializer, description=reason)}


def _path(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.PATH, description=description)


SERVICE_ID = _path("service_id", "The `_id` a builtin service answered")


def _empty() -> HttpResponse:
    return HttpResponse(b"", content_type="text/plain;charset=utf-8")


class ServiceView(GMSView):
    """``GET|POST /genesys/1/service/{name}`` and ``DELETE /genesys/1/service/{id}``."""

    def get_auth_scope(self) -> str:
        return f"service.{self.kwargs['service_name']}"

    def handle_exception(self, exc: Exception) -> Response:
        # A 405 lists the methods the service's kind answers, not those of this path.
        if isinstance(exc, GMSError) and "Allow" in exc.headers:
            self.headers["Allow"] = exc.headers["Allow"]
        return super().handle_exception(exc)

    @extend_schema(
        summary="Query a builtin service (office hours, capacity, get)",
        description=(
            "Answers as the service's `_service` kind says: `office-hours` (calendar.md §2: "
            "`start`, `end`, `number-of-days`), `capacity` (capacity.md §2: `start`, `end`, "
            "`timezone`) or `get` (service.md §3.4: the custom options, with `_online_code` "
            "or `_offline_code`)."
        ),
        parameters=[
            _path("service_name", "The service's name (section `service.{name}`)"),
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
            **server_error(503, "A `get` service while the node is OFFLINE (`_offline_code`)"),
        },
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def get(self, request: Request, service_name: str) -> HttpResponse:
        return registry.respond(request, service_name)

    @extend_schema(
        summary="Start a service (request-interaction, request-access, match-interaction, ORS)",
        operation_id="service_start",
        description=(
            "Keys starting with `_` are control parameters, the others user data kept with "
            "the instance (`_data_id`). request-interaction answers `_id`, `_access_number`, "
            "`_access_code` (with `_provide_code=true`) and `_expiration_time`; request-access "
            "the same for the instance `_id`; match-interaction `_id` and `_data_id` of the "
            "instance an `_access_number` was reserved for (`matches` with "
            "`_return_multiple_matches=true`); an ORS service its workflow's JSON."
        ),
        parameters=[_path("service_name", "The service's name (section `service.{name}`)")],
        request=SERVICE_BODY,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The service's answer"),
            **error_responses(400, 401, 403, 404, 405, 413, 415),
            **server_error(500, "ORS unreachable, or a malformed `[server] access_code_prefix`"),
            **server_error(503, "No free access number in the resource group"),
        },
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def post(self, request: Request, service_name: str) -> HttpResponse:
        return registry.respond(request, service_name)

    @extend_schema(
        summary="End a service instance",
        description="Deletes its data and releases its access numbers (service.md §2.4).",
        operation_id="service_instance_delete",
        parameters=[_path("service_name", "On DELETE, the instance's `_id`")],
        responses={**EMPTY, **error_responses(401, 403, 404)},
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def delete(self, request: Request, service_name: str) -> HttpResponse:
        services.delete_instance(service_id=service_name)
        return _empty()


class ServiceRequestView(GMSView):
    """``GET|POST /genesys/1/service/{id}/{request}`` (service.md §2.3).

    Builtin instances take no request. Our choice (UNCONFIRMED): 404 ServiceNotFound,
    "Service {id} not found" for an unknown id and "Service {id} has no request
    {request}" for a live one.
    """

    @extend_schema(
        summary="A named request to a service instance",
        operation_id="service_request",
        parameters=[SERVICE_ID, _path("request_name", "The request's name")],
        request=None,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The workflow's answer"),
            **error_responses(401, 403, 404),
        },
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def get(self, request: Request, service_id: str, request_name: str) -> Response:
        selectors.get_instance(service_id)
        raise NotFound(
            f"Service {service_id} has no request {request_name}", exception=SERVICE_NOT_FOUND
        )

    @extend_schema(
        summary="A named request to a service instance (POST)",
        operation_id="service_request_post",
        parameters=[SERVICE_ID, _path("request_name", "The request's name")],
        request=SERVICE_BODY,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The workflow's answer"),
            **error_responses(400, 401, 403, 404),
        },
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def post(self, request: Request, service_id: str, request_name: str) -> Response:
        return self.get(request, service_id, request_name)


class ServiceDataView(GMSView):
    """``GET|POST /genesys/1/service/{id}/storage`` (service.md §2.5)."""

    @extend_schema(
        summary="Read all string keys of a service's data",
        operation_id="service_storage_read",
        parameters=[SERVICE_ID],
        responses={200: OpenApiResponse(STRINGS, description="key: value")}
        | error_responses(401, 403, 404),
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def get(self, request: Request, service_id: str) -> Response:
        return Response(selectors.string_data(service_id))

    @extend_schema(
        summary="Add or replace keys of a service's data",
        description="The data keeps the instance's expiry (`_ttl`). Empty 200.",
        operation_id="service_storage_write",
        parameters=[SERVICE_ID],
        request=STORAGE_BODY,
        responses={**EMPTY, **error_responses(400, 401, 403, 404, 413, 415)},
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def post(self, request: Request, service_id: str) -> HttpResponse:
        services.save_data(
            service_id=service_id, values=storage_values(request), now=timezone.now()
        )
        return _empty()


class ServiceDataItemView(GMSView):
    """One key of a service's data (service.md §2.5): ``storage/{key}`` and
    ``storage/binary/{key}`` read it alike, a string as text and a binary as stored."""

    @extend_schema(
        parameters=[SERVICE_ID, _path("key", "The key")],
        responses=ITEM_RESPONSES | error_responses(401, 403, 404),
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def get(self, request: Request, service_id: str, key: str) -> HttpResponse:
        return item_response(selectors.data_item(service_id, key))


@extend_schema_view(
    get=extend_schema(
        summary="Read one key of a service's data", operation_id="service_storage_read_key"
    )
)
class ServiceDataKeyView(ServiceDataItemView):
    """``GET|DELETE /genesys/1/service/{id}/storage/{key}`` (service.md §2.5)."""

    @extend_schema(
        summary="Delete one key of a service's data",
        operation_id="service_storage_delete_key",
        parameters=[SERVICE_ID, _path("key", "The key")],
        responses={**EMPTY, **error_responses(401, 403, 404)},
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def delete(self, request: Request, service_id: str, key: str) -> HttpResponse:
        services.delete_data_key(service_id=service_id, key=key)
        return _empty()


@extend_schema_view(
    get=extend_schema(
        summary="Read one key of a service's data as bytes",
        operation_id="service_storage_read_binary",
    )
)
class ServiceDataBinaryView(ServiceDataItemView):
    """``GET /genesys/1/service/{id}/storage/binary/{key}`` (service.md §2.5)."""
