"""Storage API (storage.md): temporary key/value areas with a TTL, for apps and other GMS services.

Two paths serve two operations each, told apart by the method (§7): a single
segment is the TTL of a create (POST) or the id to read or delete (GET, DELETE);
two segments are an id and a TTL to update (POST) or an id and a key to read (GET).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.auth import gms_user
from apps.core.errors import BadRequest, PayloadTooLarge
from apps.core.schema import BASIC_AUTH, error_responses
from apps.core.views import GMSView
from apps.storage import selectors, services
from apps.storage.models import StorageArea, StorageItem

TEXT_UTF8 = "text/plain;charset=utf-8"

# --- OpenAPI ----------------------------------------------------------------

STRINGS = {"type": "object", "additionalProperties": {"type": "string"}}
STRINGS_AND_FILES = {
    "type": "object",
    "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "string", "format": "binary"}]},
}
STORAGE_BODY = {
    "multipart/form-data": STRINGS_AND_FILES,
    "application/x-www-form-urlencoded": STRINGS,
    "application/json": STRINGS,
}
ID_BODY = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
ITEM_RESPONSES = {
    (200, "text/plain"): OpenApiResponse(
        {"type": "string"}, description="A string item, as text/plain;charset=utf-8"
    ),
    (200, "application/octet-stream"): OpenApiResponse(
        {"type": "string", "format": "binary"},
        description="A binary item, byte for byte, with its stored Content-Type "
        "and a Content-Disposition when a file name was stored",
    ),
}
STORED = {(200, "application/json"): OpenApiResponse(ID_BODY, description='{"id": storage id}')}
TTL_PARAM = "TTL in seconds; invalid or ≤ 0 means 30, GMS_STORAGE_MAX_TTL clamps it"


def _path(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, str, OpenApiParameter.PATH, description=description)


def _gms_user(required: bool = False) -> OpenApiParameter:
    return OpenApiParameter(
        "gms_user",
        str,
        OpenApiParameter.HEADER,
        required=required,
        description="The user owning a custom storage id; needed to read or change it",
    )


# --- request and response ---------------------------------------------------


def storage_values(request: Request) -> dict[str, services.StorageValue]:
    """A form or JSON object as storage values: file parts become binaries, the last value wins.

    The Content-Length is checked before the body is read, so an oversized upload
    is refused unread; Django's own body limits answer 413 as well.
    """
    limit = settings.GMS_STORAGE_MAX_UPLOAD_BYTES
    length = request.META.get("CONTENT_LENGTH") or "0"
    if limit and length.isdigit() and int(length) > limit:
        raise PayloadTooLarge(f"A body of {length} bytes is more than the {limit} allowed")
    try:
        data = request.data
    except RequestDataTooBig:
        raise PayloadTooLarge("The request body is too large") from None
    except (TooManyFieldsSent, TooManyFilesSent):
        raise PayloadTooLarge("The request has too many keys") from None
    if hasattr(data, "lists"):  # a form; multipart files included
        return {key: _value(items[-1]) for key, items in data.lists() if items}
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise BadRequest("A JSON body must be an object whose values are strings")
    return data


def _value(value: str | UploadedFile) -> services.StorageValue:
    if not isinstance(value, UploadedFile):
        return value
    content_type, charset = value.content_type or "", value.charset
    if isinstance(charset, bytes):  # Django's multipart parser hands it over undecoded
        charset = charset.decode("latin-1")
    if content_type and charset:
        content_type = f"{content_type};charset={charset}"
    return services.BinaryValue(
        data=value.read(), content_type=content_type, filename=value.name or ""
    )


def _id_response(area: StorageArea) -> Response:
    return Response({"id": area.id})


def item_response(item: StorageItem) -> HttpResponse:
    """§4.5/§4.6: a string as UTF-8 text, a binary byte for byte with its own type."""
    if not item.is_binary:
        return HttpResponse(item.text.encode("utf-8"), content_type=TEXT_UTF8)
    response = HttpResponse(bytes(item.blob), content_type=item.content_type)
    if item.filename:
        response["Content-Disposition"] = content_disposition_header(True, item.filename)
    return response


# --- views ------------------------------------------------------------------


class StorageView(GMSView):
    """The Storage API's access rules: port restrictions and ``[storage]`` Basic auth."""

    auth_scope = "storage"


class StorageAreaView(StorageView):
    """``POST /genesys/1/storage/{ttl}``, ``GET`` and ``DELETE /genesys/1/storage/{id}``."""

    @extend_schema(
        summary="Create a storage area",
        description="Each form field becomes a string key, each file part a binary key.",
        operation_id="storage_create",
        request=STORAGE_BODY,
        parameters=[_path("ttl_or_id", f"On POST, the {TTL_PARAM}"), _gms_user()],
        responses=STORED | error_responses(400, 401, 403, 405, 413, 415),
        auth=BASIC_AUTH,
        tags=["storage"],
    )
    def post(self, request: Request, ttl_or_id: str) -> Response:
        area = services.create_storage(
            ttl=ttl_or_id, values=storage_values(request), gms_user=gms_user(request)
        )
        return _id_response(area)

    @extend_schema(
        summary="Read all string keys",
        operation_id="storage_read",
        parameters=[_path("ttl_or_id", "On GET, the storage id"), _gms_user()],
        description="Binary keys are left out; read them one by one.",
        responses={(200, "application/json"): OpenApiResponse(STRINGS, description="key: value")}
        | error_responses(401, 403, 404, 405),
        auth=BASIC_AUTH,
        tags=["storage"],
    )
    def get(self, request: Request, ttl_or_id: str) -> Response:
        values = selectors.string_values(storage_id=ttl_or_id, gms_user=gms_user(request))
        return Response(values)

    @extend_schema(
        summary="Delete a storage area",
        operation_id="storage_delete",
        parameters=[_path("ttl_or_id", "On DELETE, the storage id"), _gms_user()],
        responses={200: OpenApiResponse(description="Deleted; empty body")}
        | error_responses(401, 403, 404, 405),
        auth=BASIC_AUTH,
        tags=["storage"],
    )
    def delete(self, request: Request, ttl_or_id: str) -> HttpResponse:
        services.delete_storage(storage_id=ttl_or_id, gms_user=gms_user(request))
        return HttpResponse(b"", content_type=TEXT_UTF8)


class StorageKeyView(StorageView):
    """``POST /genesys/1/storage/{id}/{ttl}`` (update), ``GET /genesys/1/storage/{id}/{key}``."""

    @extend_schema(
        summary="Add or replace keys and restart the TTL",
        description="Keys not sent stay as they are; an unknown or expired id is not created.",
        operation_id="storage_update",
        request=STORAGE_BODY,
        parameters=[
            _path("id", "The storage id"),
            _path("ttl_or_key", f"On POST, the {TTL_PARAM}"),
            _gms_user(),
        ],
        responses=STORED | error_responses(400, 401, 403, 404, 405, 413, 415),
        auth=BASIC_AUTH,
        tags=["storage"],
    )
    def post(self, request: Request, id: str, ttl_or_key: str) -> Response:
        area = services.update_storage(
            storage_id=id,
            ttl=ttl_or_key,
            values=storage_values(request),
            gms_user=gms_user(request),
        )
        return _id_response(area)

    @extend_schema(
        summary="Read one key",
        description="A string as text/plain, a binary as stored.",
        operation_id="storage_read_key",
        parameters=[
            _path("id", "The storage id"),
            _path("ttl_or_key", "On GET, the key"),
            _gms_user(),
        ],
        responses=ITEM_RESPONSES | error_responses(401, 403, 404, 405),
        auth=BASIC_AUTH,
        tags=["storage"],
    )
    def get(self, request: Request, id: str, ttl_or_key: str) -> HttpResponse:
        item = selectors.get_item(storage_id=id, key=ttl_or_key, gms_user=gms_user(request))
        return item_response(item)


class CustomStorageView(StorageView):
    """``POST /genesys/1/storage/custom/{customId}/{ttl}`` (8.5.103+), scoped by ``gms_user``."""

    @extend_schema(
        summary="Create or merge into a storage area with a custom id",
        description="The id belongs to the gms_user that created it: the same user merges "
        "keys and restarts the TTL, any other user gets 403.",
        operation_id="storage_create_custom",
        request=STORAGE_BODY,
        parameters=[
            _path("custom_id", "The caller's id for the area"),
            _path("ttl", TTL_PARAM),
            _gms_user(required=True),
        ],
        responses=STORED | error_responses(400, 401, 403, 405, 413, 415),
        auth=BASIC_AUTH,
        tags=["storage"],
    )
    def post(self, request: Request, custom_id: str, ttl: str) -> Response:
        area = services.save_custom_storage(
            custom_id=custom_id,
            ttl=ttl,
            values=storage_values(request),
            gms_user=gms_user(request),
        )
        return _id_response(area)


class BinaryView(StorageView):
    """``GET /genesys/1/storage/binary/{id}/{key}``: a file as it was uploaded."""

    @extend_schema(
        summary="Read one key as bytes",
        description="A binary with its stored Content-Type, a string as UTF-8 text/plain.",
        operation_id="storage_read_binary",
        parameters=[_path("id", "The storage id"), _path("key", "The key"), _gms_user()],
        responses=ITEM_RESPONSES | error_responses(401, 403, 404, 405),
        auth=BASIC_AUTH,
        tags=["storage"],
    )
    def get(self, request: Request, id: str, key: str) -> HttpResponse:
        item = selectors.get_item(storage_id=id, key=key, gms_user=gms_user(request))
        return item_response(item)
