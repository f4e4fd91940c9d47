"""Phone Number Validation API (phonenumber.md): ``GET /genesys/1/phonenumber``."""

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.schema import BASIC_AUTH, GMSErrorSerializer, error_responses
from apps.core.views import GMSView
from apps.phonenumber import selectors

PHONE_NUMBER = inline_serializer(
    name="PhoneNumber",
    fields={
        "language-specified": serializers.CharField(),
        "number-specified": serializers.CharField(),
        "country-default": serializers.CharField(),
        "country-code": serializers.IntegerField(),
        "country-code-source": serializers.CharField(
            help_text="FROM_NUMBER_WITH_PLUS_SIGN, FROM_NUMBER_WITH_IDD, "
            "FROM_NUMBER_WITHOUT_PLUS_SIGN, FROM_DEFAULT_COUNTRY or UNSPECIFIED"
        ),
        "region-code": serializers.CharField(allow_null=True),
        "number-type": serializers.CharField(
            help_text="FIXED_LINE, MOBILE, FIXED_LINE_OR_MOBILE, TOLL_FREE, PREMIUM_RATE, ... UNKNOWN"
        ),
        "is-possible-number": serializers.BooleanField(),
        "is-valid-number": serializers.BooleanField(),
        "is-valid-number-for-region": serializers.BooleanField(),
        "is-premium": serializers.BooleanField(),
        "italian-leading-zero": serializers.BooleanField(),
        "extension": serializers.CharField(allow_blank=True),
        "number-national-short": serializers.IntegerField(),
        "number-E164": serializers.CharField(),
        "number-international": serializers.CharField(),
        "number-national": serializers.CharField(),
        "number-original": serializers.CharField(),
        "location": serializers.CharField(allow_blank=True),
        "carrier": serializers.CharField(allow_blank=True),
        "time-zone": serializers.CharField(help_text="Time zone ids joined with ','"),
    },
)


def _raw_query_value(request: Request, name: str) -> str:
    """The last ``name=`` value of the query string, still URL-encoded."""
    values = [
        value
        for key, _, value in (
            item.partition("=") for item in request.META.get("QUERY_STRING", "").split("&")
        )
        if key == name
    ]
    return values[-1] if values else ""


def _number(request: Request) -> str:
    """``number``, with a ``+`` the query string decoded to a space put back (phonenumber.md §6)."""
    number = request.query_params.get("number", "")
    if number.startswith(" ") and _raw_query_value(request, "number").startswith("+"):
        number = "+" + number[1:]
    return number


class PhoneNumberView(GMSView):
    """Anonymous unless ``[server]`` sets a password, like the other platform APIs."""

    @extend_schema(
        summary="Parse, validate and describe a phone number",
        parameters=[
            OpenApiParameter("number", str, required=True, description="Any human format"),
            OpenApiParameter(
                "country",
                str,
                default=selectors.DEFAULT_COUNTRY,
                description="ISO 3166-1 alpha-2 region for numbers without international prefix",
            ),
            OpenApiParameter(
                "geocodingLocale",
                str,
                default=selectors.DEFAULT_LOCALE,
                description="Language of location and carrier (case-insensitive)",
            ),
        ],
        responses={
            200: PHONE_NUMBER,
            **error_responses(401, 403, 405),
            400: OpenApiResponse(GMSErrorSerializer, description="Missing or unparsable number"),
        },
        auth=BASIC_AUTH,
        tags=["phonenumber"],
    )
    def get(self, request: Request) -> Response:
        country = request.query_params.get("country", "").strip().upper()
        locale = request.query_params.get("geocodingLocale", "").strip().lower()
        return Response(
            selectors.describe_number(
                _number(request),
                country or selectors.DEFAULT_COUNTRY,
                locale or selectors.DEFAULT_LOCALE,
            )
        )
