"""Open Media API (openmedia.md): create, get, update user data, stop.

Bodies are url-encoded, multipart or a flat JSON object (``userData`` an object or
``userData[key]`` fields); any other Content-Type is a 415. Answers and errors use the
Digital Channels envelope: ``{"statusCode": 0, ...}`` on success, ``{"statusCode": 2 (1 for
a 503), "errors": [{"code", "advice"}]}`` otherwise, codes of §5. Access: port
restrictions and ``[server]`` Basic auth, like the other GMS APIs. The service segment of
get/update/stop must be a configured service but need not be the interaction's own
(§3.2: a client names its service after the operation).
"""

from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.parsing import parse_params
from apps.core.schema import BASIC_AUTH, DigitalErrorSerializer
from apps.core.views import GMSView
from apps.openmedia import selectors, services
from apps.openmedia.options import service_options

TAGS = ["openmedia"]
MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "application/json")
USER_DATA_HELP = (
    "User data: one form field userData[key]=value per key, or a JSON object. "
    "Keys and values are text without NUL."
)


class OpenMediaOkSerializer(serializers.Serializer):
    statusCode = serializers.IntegerField(help_text="0: success")


class OpenMediaCreatedSerializer(OpenMediaOkSerializer):
    interactionId = serializers.CharField()


class OpenMediaUserDataItemSerializer(serializers.Serializer):
    key = serializers.CharField()
    type = serializers.CharField(help_text="always str")
    value = serializers.CharField()


class OpenMediaPropertiesSerializer(serializers.Serializer):
    interactionId = serializers.CharField()
    interactionType = serializers.CharField()
    interactionSubtype = serializers.CharField()
    interactionMediatype = serializers.CharField()
    interactionState = serializers.CharField(help_text="queued, processing or stopped")
    interactionQueue = serializers.CharField()
    interactionTenantId = serializers.IntegerField()
    interactionSubmittedBy = serializers.CharField(help_text="the service name")
    interactionReceivedAt = serializers.CharField()
    interactionSubmittedAt = serializers.CharField()
    interactionPlacedInQueueAt = serializers.CharField(allow_null=True)
    interactionMovedToQueueAt = serializers.CharField(allow_null=True)
    interactionSubmitSeq = serializers.IntegerField()
    interactionPlaceInQueueSeq = serializers.IntegerField(allow_null=True)
    interactionIsHeld = serializers.BooleanField()
    interactionIsLocked = serializers.BooleanField(help_text="true while an agent handles it")
    interactionIsOnline = serializers.BooleanField()
    interactionUserData = OpenMediaUserDataItemSerializer(many=True)


class OpenMediaGotSerializer(OpenMediaOkSerializer):
    properties = OpenMediaPropertiesSerializer()


class OpenMediaCreateSerializer(serializers.Serializer):
    externalId = serializers.CharField(required=False, help_text="Also stored as ExternalId")
    interactionType = serializers.CharField(required=False, help_text="With allow_overwrite")
    interactionSubType = serializers.CharField(required=False, help_text="With allow_overwrite")
    mediaType = serializers.CharField(required=False, help_text="With allow_overwrite")
    userData = serializers.DictField(
        child=serializers.CharField(), required=False, help_text=USER_DATA_HELP
    )


class OpenMediaUpdateSerializer(serializers.Serializer):
    userData = serializers.DictField(
        child=serializers.CharField(), required=False, help_text=USER_DATA_HELP
    )


class OpenMediaStopSerializer(OpenMediaUpdateSerializer):
    reason = serializers.CharField(required=False, help_text="Why the client stops it")


def _bodies(serializer: type[serializers.Serializer]) -> dict[str, type[serializers.Serializer]]:
    return dict.fromkeys(MEDIA_TYPES, serializer)


def _responses(ok: type[serializers.Serializer], *statuses: int) -> dict[int, OpenApiResponse]:
    envelope = OpenApiResponse(DigitalErrorSerializer, description="statusCode envelope")
    return {200: OpenApiResponse(ok)} | dict.fromkeys(statuses, envelope)


SERVICE = OpenApiParameter(
    "service_name", str, OpenApiParameter.PATH, description="openmedia.{serviceName} section"
)
INTERACTION = OpenApiParameter(
    "interaction_id", str, OpenApiParameter.PATH, description="The id create answered"
)


class CreateView(GMSView):
    """``POST /genesys/2/openmedia/{serviceName}``."""

    @extend_schema(
        summary="Create an open media interaction",
        description="Every field is optional. Bare fields other than those listed are kept "
        "as user data under their own name. The interaction is queued in the service's "
        "`queue` for an agent.",
        operation_id="openmedia_create",
        parameters=[SERVICE],
        request=_bodies(OpenMediaCreateSerializer),
        responses=_responses(OpenMediaCreatedSerializer, 400, 401, 403, 404, 405, 413, 415, 503),
        auth=BASIC_AUTH,
        tags=TAGS,
    )
    def post(self, request: Request, service_name: str) -> Response:
        options = service_options(service_name)
        record = services.create(
            options=options, params=parse_params(request).values, now=timezone.now()
        )
        return Response({"statusCode": 0, "interactionId": record.interaction_id})


def _get_schema(operation_id: str):
    return extend_schema(
        summary="Retrieve an open media interaction",
        description="No body; POST as GMS clients send it, GET answered the same way.",
        operation_id=operation_id,
        parameters=[SERVICE, INTERACTION],
        request=None,
        responses=_responses(OpenMediaGotSerializer, 400, 401, 403, 404, 405),
        auth=BASIC_AUTH,
        tags=TAGS,
    )


class GetView(GMSView):
    """``POST|GET /genesys/2/openmedia/{serviceName}/{interactionId}/get``."""

    @_get_schema("openmedia_get")
    def post(self, request: Request, service_name: str, interaction_id: str) -> Response:
        service_options(service_name)
        view = selectors.get_open_media(interaction_id)
        return Response({"statusCode": 0, "properties": selectors.properties(view)})

    @_get_schema("openmedia_get_by_get")
    def get(self, request: Request, service_name: str, interaction_id: str) -> Response:
        return self.post(request, service_name, interaction_id)


def _write_schema(
    operation_id: str, body: type[serializers.Serializer], *, summary: str, description: str
):
    """The schema of an operation on one interaction that takes a body (update, stop)."""
    return extend_schema(
        summary=summary,
        description=description,
        operation_id=operation_id,
        parameters=[SERVICE, INTERACTION],
        request=_bodies(body),
        responses=_responses(OpenMediaOkSerializer, 400, 401, 403, 404, 405, 413, 415),
        auth=BASIC_AUTH,
        tags=TAGS,
    )


class UpdateView(GMSView):
    """``POST /genesys/2/openmedia/{serviceName}/{interactionId}/update``."""

    @_write_schema(
        "openmedia_update",
        OpenMediaUpdateSerializer,
        summary="Add or change user data of an open media interaction",
        description="Upserts the keys given; other keys are kept. A stopped interaction "
        "answers 400, code 108.",
    )
    def post(self, request: Request, service_name: str, interaction_id: str) -> Response:
        service_options(service_name)
        services.update_user_data(
            interaction_id=interaction_id, params=parse_params(request).values
        )
        return Response({"statusCode": 0})


@extend_schema_view(post=extend_schema(operation_id="openmedia_update_user_data"))
class UpdateUserDataView(UpdateView):
    """``/updateUserData``: the same operation under a second name (our choice, §3.3)."""


class StopView(GMSView):
    """``POST /genesys/2/openmedia/{serviceName}/{interactionId}/stop``."""

    @_write_schema(
        "openmedia_stop",
        OpenMediaStopSerializer,
        summary="Stop an open media interaction",
        description="Takes it out of its queue (work an agent accepted stays with that "
        "agent until completed). Stopping a stopped interaction answers statusCode 0 again.",
    )
    def post(self, request: Request, service_name: str, interaction_id: str) -> Response:
        service_options(service_name)
        services.stop(
            interaction_id=interaction_id, params=parse_params(request).values, now=timezone.now()
        )
        return Response({"statusCode": 0})
