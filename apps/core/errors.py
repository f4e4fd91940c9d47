"""GMS error responses (responses.md), for every error the server can answer.

Two shapes, chosen by the path:

* the platform APIs (storage, node, service, callback, patterns, ...) answer
  ``{"message": ..., "exception": ...}`` with a bare HTTP status (§1);
* the digital channels (chat v2, email, open media) answer the ``statusCode``
  envelope ``{"statusCode": 2, "errors": [{"code": N, "advice": ...}]}`` (§2.3).

Views raise :class:`GMSError` (or a DRF exception); :func:`exception_handler`
renders it. Django-level failures (no route, a broken request, a crash) go
through :func:`page_not_found`, :func:`bad_request` and :func:`server_error`, so
no client ever sees an HTML page or a stack trace.
"""

import logging

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response

logger = logging.getLogger(__name__)

GSG_EXCEPTION = "com.genesyslab.gsg.GSGException"
SERVICE_NOT_FOUND = "com.genesyslab.gsg.services.exceptions.ServiceNotFoundException"
INVALID_PARAMETER = "com.genesyslab.gsg.services.exceptions.InvalidParameterServiceException"
DEFAULT_REALM = "Genesys Application Configuration Needed"
JSON_CONTENT_TYPE = "application/json;charset=utf-8"

# Paths answered with the digital-channels envelope (responses.md §2).
DIGITAL_PREFIXES = ("/genesys/2/chat", "/genesys/2/email", "/genesys/2/openmedia")

# Digital-channels error code for an HTTP status (chat-v2.md §0.2, our choice), when the
# error names none of its own (email.md §6, openmedia.md §5 do).
DIGITAL_CODES = {404: 101, 413: 204, 500: 249}
DIGITAL_DEFAULT_CODE = 102
# statusCode 1 = "transient error, retry" (responses.md §2.1): a 503; any other is 2.
RETRYABLE_STATUS = 503


class GMSError(drf.APIException):
    """An error a GMS client understands: an HTTP status, a message and a Java-style class name."""

    status_code = 400
    exception_name = GSG_EXCEPTION

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        exception: str | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, object] | None = None,
        code: int | None = None,
    ) -> None:
        super().__init__(detail=message)
        self.message = message
        # The digital channels' ``errors[].code``; None = by HTTP status (DIGITAL_CODES).
        self.code = code
        # More keys of the body some APIs add (calendar's "error", callback's "code"/"phrase").
        self.extra = extra or {}
        if status is not None:
            self.status_code = status
        if exception is not None:
            self.exception_name = exception
        self.headers = headers or {}


class BadRequest(GMSError):
    status_code = 400


class NotFound(GMSError):
    status_code = 404


class Forbidden(GMSError):
    status_code = 403


class PayloadTooLarge(GMSError):
    status_code = 413


class Unauthorized(GMSError):
    """401 with the Basic challenge of responses.md §4.4."""

    status_code = 401

    def __init__(self, realm: str = DEFAULT_REALM) -> None:
        super().__init__("Unauthorized", headers={"WWW-Authenticate": f'Basic realm="{realm}"'})


def is_digital_channel(path: str) -> bool:
    return path.startswith(DIGITAL_PREFIXES)


def error_body(
    path: str,
    status: int,
    message: str,
    exception: str = GSG_EXCEPTION,
    code: int | None = None,
) -> dict:
    """The JSON body of an error at ``path``, in the envelope its API uses."""
    if is_digital_channel(path):
        code = code or DIGITAL_CODES.get(status, DIGITAL_DEFAULT_CODE)
        status_code = 1 if status == RETRYABLE_STATUS else 2
        return {"statusCode": status_code, "errors": [{"code": code, "advice": message}]}
    return {"message": message, "exception": exception}


def _message_of(exc: drf.APIException) -> str:
    """One line out of DRF's nested error details."""
    detail = exc.detail
    if isinstance(detail, dict):
        parts = []
        for field, errors in detail.items():
            text = "; ".join(str(e) for e in errors) if isinstance(errors, list) else str(errors)
            parts.append(text if field == "non_field_errors" else f"{field}: {text}")
        return "; ".join(parts)
    if isinstance(detail, list):
        return "; ".join(str(item) for item in detail)
    return str(detail)


def exception_handler(exc: Exception, context: dict) -> Response:
    """DRF's EXCEPTION_HANDLER: every exception a view raises becomes a GMS error body."""
    request = context.get("request")
    path = request.path if request is not None else ""
    headers: dict[str, str] = {}
    exception_name = GSG_EXCEPTION
    extra: dict[str, object] = {}
    code = None

    if isinstance(exc, Http404):
        exc = drf.NotFound(str(exc) or "Not found")
    elif isinstance(exc, PermissionDenied):
        exc = drf.PermissionDenied(str(exc) or "Forbidden")
    elif isinstance(exc, SuspiciousOperation):
        exc = drf.ParseError(str(exc) or "Malformed request")
    elif isinstance(exc, RecursionError):  # JSON nested deeper than the parser can follow
        exc = drf.ParseError("nested too deeply")

    if isinstance(exc, GMSError):
        status, message = exc.status_code, exc.message
        exception_name, headers, extra = exc.exception_name, dict(exc.headers), exc.extra
        code = exc.code
    elif isinstance(exc, drf.APIException):
        status, message = exc.status_code, _message_of(exc)
        if isinstance(exc, drf.ParseError):
            message = f"Malformed request body: {message}"
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
    else:
        logger.exception("Unhandled error on %s", path)
        status, message = 500, "Internal server error"
        exception_name = f"{type(exc).__module__}.{type(exc).__qualname__}"

    body = error_body(path, status, message, exception_name, code)
    if not is_digital_channel(path):
        body.update(extra)
    return Response(body, status=status, headers=headers)


def _json_error(request: HttpRequest, status: int, message: str) -> JsonResponse:
    response = JsonResponse(error_body(request.path, status, message), status=status)
    response["Content-Type"] = JSON_CONTENT_TYPE
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return _json_error(request, 404, f"No resource at {request.path}")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return _json_error(request, 400, str(exception) if exception else "Bad request")


def server_error(request: HttpRequest) -> JsonResponse:
    return _json_error(request, 500, "Internal server error")
