"""OpenAPI pieces every API's views share: the GMS error body and the Basic-auth scheme."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

# Operations that can need HTTP Basic credentials (responses.md §4).
BASIC_AUTH: list[dict[str, list]] = [{"basicAuth": []}, {}]
ADMIN_AUTH: list[dict[str, list]] = [{"basicAuth": []}]

ERROR_REASONS = {
    400: "Malformed request or invalid parameter",
    401: "Basic authentication is on and the credentials are missing or wrong",
    403: "Port not allowed by [port_restrictions], or not the owner",
    404: "Unknown resource",
    405: "Method not allowed on this path",
    413: "Request body too large",
    415: "Unsupported content type",
}


class GMSErrorSerializer(serializers.Serializer):
    """The platform APIs' error body (responses.md §1)."""

    message = serializers.CharField(help_text="One-line reason")
    exception = serializers.CharField(help_text="GMS exception class name")


class DigitalErrorItemSerializer(serializers.Serializer):
    code = serializers.IntegerField(help_text="The API's error code (email.md §6, openmedia.md §5)")
    advice = serializers.CharField()


class DigitalErrorSerializer(serializers.Serializer):
    """The digital channels' error envelope (responses.md §2)."""

    statusCode = serializers.IntegerField(help_text="1: retry may succeed; 2: do not retry")
    errors = DigitalErrorItemSerializer(many=True)


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    return {
        status: OpenApiResponse(GMSErrorSerializer, description=ERROR_REASONS[status])
        for status in statuses
    }
