"""Notification API (notification.md): subscribe, unsubscribe, publish.

Bodies are JSON only: any other ``Content-Type``, or none, is a 415 before the body is
read; media-type parameters (``; charset=UTF-8``, as the Genesys demo sends) are
ignored. A body over ``MAX_BODY_BYTES`` is a 413 (our choice; the spec lists no limit).
Access: port restrictions, then ``[notification]`` Basic auth (falling back to
``[server]``). Publishing is open to any caller with those credentials (§1, our choice:
operators restrict it with ``port_restrictions``). Delete and publish answer 200 with an
empty body (our choice, §2.3, §3.2).
"""

from django.http import HttpResponse
from django.utils.http import parse_header_parameters
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.auth import gms_user
from apps.core.errors import BadRequest, GMSError, PayloadTooLarge
from apps.core.parsing import parse_params
from apps.core.schema import BASIC_AUTH, error_responses
from apps.core.views import GMSView
from apps.notification import services
from apps.notification.serializers import (
    EventSerializer,
    SubscriptionIdSerializer,
    SubscriptionSerializer,
)

JSON_MEDIA_TYPE = "application/json"
MAX_BODY_BYTES = 1024 * 1024
TAGS = ["notification"]
EMPTY_OK = {200: OpenApiResponse(description="Done; empty body")}
GMS_USER = OpenApiParameter(
    "gms_user",
    str,
    OpenApiParameter.HEADER,
    description="The caller's identity; stored with a subscription, never checked",
)


def _first_error(errors: dict, path: str = "") -> str:
    """One line out of DRF's nested errors: ``notificationDetails.type: ...``."""
    name, messages = next(iter(errors.items()))
    if name != "non_field_errors":
        path = f"{path}.{name}" if path else name
    if isinstance(messages, dict):
        return _first_error(messages, path)
    return f"{path or 'body'}: {messages[0]}"


def json_input(request: Request, serializer_class: type[serializers.Serializer]) -> dict:
    """The validated JSON body: 415 unless JSON, 413 when too long, 400 when invalid."""
    media_type, _ = parse_header_parameters(request.content_type or "")
    if media_type != JSON_MEDIA_TYPE:
        raise GMSError(f"Content-Type must be {JSON_MEDIA_TYPE}", status=415)
    length = request.META.get("CONTENT_LENGTH") or "0"
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise PayloadTooLarge(f"A body of {length} bytes is more than the {MAX_BODY_BYTES} allowed")
    serializer = serializer_class(data=parse_params(request).values)
    if not serializer.is_valid():
        raise BadRequest(_first_error(serializer.errors))
    return serializer.validated_data


def _target(details: dict | None) -> services.Target | None:
    if details is None:
        return None
    return services.Target(details["type"], details["deviceId"], details.get("properties") or {})


class NotificationView(GMSView):
    """The Notification API's access rules and its one body format."""

    auth_scope = "notification"
    parser_classes = [JSONParser]


class SubscriptionsView(NotificationView):
    """``POST /genesys/1/notification/subscription``."""

    @extend_schema(
        summary="Subscribe to the events a tag filter matches",
        description="Every published event whose tag the filter matches is pushed to "
        "notificationDetails (type and deviceId) until the subscription expires. "
        "The type must be listed in [push] pushEnabled. Each call makes a new subscription.",
        operation_id="notification_subscribe",
        request=SubscriptionSerializer,
        parameters=[GMS_USER],
        responses={200: OpenApiResponse(SubscriptionIdSerializer, description='{"id": ...}')}
        | error_responses(400, 401, 403, 405, 413, 415),
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = json_input(request, SubscriptionSerializer)
        details = data["notificationDetails"]
        subscription = services.subscribe(
            subscriber_id=data["subscriberId"],
            filter=data["filter"],
            type=details["type"],
            device_id=details["deviceId"],
            properties=details.get("properties"),
            provider_name=data.get("providerName") or "",
            authorization=data.get("authorization") or "",
            expire=data.get("expire"),
            gms_user=gms_user(request),
        )
        return Response({"id": subscription.id})


class SubscriptionView(NotificationView):
    """``DELETE /genesys/1/notification/subscription/{id}``."""

    @extend_schema(
        summary="Unsubscribe",
        description="An unknown or expired id is a 404; an id with a NUL, a 400.",
        operation_id="notification_unsubscribe",
        parameters=[
            OpenApiParameter("id", str, OpenApiParameter.PATH, description="The subscription id"),
            GMS_USER,
        ],
        responses=EMPTY_OK | error_responses(400, 401, 403, 404, 405),
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def delete(self, request: Request, id: str) -> HttpResponse:
        services.unsubscribe(subscription_id=id)
        return HttpResponse(b"")


class PublishView(NotificationView):
    """``POST /genesys/1/notification/publish``."""

    @extend_schema(
        summary="Publish an event to every subscription its tag matches",
        description="Delivery is asynchronous: 200 even when nothing matches or a push "
        "fails later. notificationDetails, when sent, is one more target. With "
        "mediaType=localizestring the message is a key of the localization file.",
        operation_id="notification_publish",
        request=EventSerializer,
        parameters=[GMS_USER],
        responses=EMPTY_OK | error_responses(400, 401, 403, 405, 413, 415),
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def post(self, request: Request) -> HttpResponse:
        data = json_input(request, EventSerializer)
        services.publish(
            tag=data["tag"],
            message=data["message"],
            media_type=data.get("mediaType") or "string",
            target=_target(data.get("notificationDetails")),
        )
        return HttpResponse(b"")
