"""Pattern Matcher API (pattern.md §2): which pattern each request field matches."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.errors import BadRequest, NotFound
from apps.core.schema import BASIC_AUTH, GMSErrorSerializer, error_responses
from apps.core.views import GMSView
from apps.patterns import selectors

FIELDS = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "Any fields; each value is tested against the patterns",
}
MATCHES = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "Field name -> name of the first pattern its value matches; "
    "fields that match none are absent",
}
REQUEST = {
    media: FIELDS
    for media in ("application/x-www-form-urlencoded", "multipart/form-data", "application/json")
}
ERRORS = {
    **error_responses(401, 403, 405, 415),
    400: OpenApiResponse(
        GMSErrorSerializer, description="Not a form or a flat JSON object of strings"
    ),
}


def _is_text(text: str) -> bool:
    """False for a string with lone surrogates, which JSON allows but UTF-8 cannot carry."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _request_fields(request: Request) -> dict[str, str]:
    """The body's fields by their names as sent (``a[b]`` is not nested), last value wins.

    Uploaded files are not values and are ignored.
    """
    data = request.data
    if hasattr(data, "lists"):
        fields = {
            key: items[-1] for key, items in data.lists() if items and isinstance(items[-1], str)
        }
    elif isinstance(data, dict) and all(isinstance(value, str) for value in data.values()):
        fields = data
    else:
        raise BadRequest("The request body must be a form or a flat JSON object of strings")
    if not all(_is_text(key) and _is_text(value) for key, value in fields.items()):
        raise BadRequest("Field names and values must be valid Unicode text")
    return fields


class GeneralPatternsView(GMSView):
    """``POST /genesys/1/patterns``: the general list, the reserved group ``patterns``."""

    @extend_schema(
        summary="Match fields against the general pattern list",
        request=REQUEST,
        responses={200: MATCHES, **ERRORS},
        auth=BASIC_AUTH,
        tags=["patterns"],
    )
    def post(self, request: Request) -> Response:
        patterns = selectors.pattern_group(selectors.GENERAL_LIST) or {}
        return Response(selectors.match_fields(patterns, _request_fields(request)))


class PatternGroupView(GMSView):
    """``POST /genesys/1/patterns/group/{groupName}``: one group; an unknown group is a 404."""

    @extend_schema(
        summary="Match fields against one pattern group",
        parameters=[OpenApiParameter("groupName", str, OpenApiParameter.PATH)],
        request=REQUEST,
        responses={
            200: MATCHES,
            **ERRORS,
            404: OpenApiResponse(GMSErrorSerializer, description="No such pattern group"),
        },
        auth=BASIC_AUTH,
        tags=["patterns"],
    )
    def post(self, request: Request, groupName: str) -> Response:
        patterns = selectors.pattern_group(groupName)
        if patterns is None:
            raise NotFound(f"Pattern group '{groupName}' not found")
        return Response(selectors.match_fields(patterns, _request_fields(request)))
