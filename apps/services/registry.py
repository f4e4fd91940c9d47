"""Which code answers a request to a service section, by its ``_service`` kind.

``/genesys/1/service/{name}`` serves every kind of service (service.md §2): the
office-hours and capacity queries, request-interaction, ORS-style workflows...
Each app registers the handlers of the kinds it implements, in its AppConfig.ready(),
and :func:`respond` dispatches to them: the Service API view, and a callback service
whose ``_redirect`` names another service (callback.md §3.1).
"""

from collections.abc import Callable

from django.http import HttpResponse
from rest_framework.request import Request

from apps.core.config import BUILTIN_SERVICES, SECTION_NAME, SERVICE_PREFIX, Options
from apps.core.errors import SERVICE_NOT_FOUND, GMSError, NotFound
from apps.core.selectors import get_section

# handler(request, service_name, options) -> response
Handler = Callable[[Request, str, Options], HttpResponse]

# The kind that serves ``_type=ors`` sections whose ``_service`` (a workflow URL) has no handler.
ORS = "ors"

_handlers: dict[tuple[str, str], Handler] = {}


def register(kind: str, method: str) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        _handlers[(kind, method.upper())] = handler
        return handler

    return decorator


def handler_for(kind: str, method: str) -> Handler | None:
    return _handlers.get((kind, method.upper()))


def methods_of(kind: str) -> list[str]:
    return sorted(method for registered, method in _handlers if registered == kind)


def kind_of(options: Options) -> str:
    """The ``_service`` kind; an ``ors`` section whose ``_service`` is no builtin kind (an
    SCXML URL) is served as a workflow (service.md §4). A builtin kind stays itself
    whatever its ``_type`` (Genesys test configurations mark office hours and callback
    services ``ors``)."""
    kind = options.get("_service", "").strip()
    if options.get("_type", "").strip() == ORS and kind not in BUILTIN_SERVICES:
        return ORS
    return kind


def respond(request: Request, service_name: str) -> HttpResponse:
    """Answer ``request`` as ``/genesys/1/service/{service_name}`` does: 404 for an unknown
    service, 405 when its kind does not answer the method."""
    section = SERVICE_PREFIX + service_name
    options = get_section(section) if SECTION_NAME.match(section) else None
    if options is None:
        raise NotFound(f"Service {service_name} not found", exception=SERVICE_NOT_FOUND)
    kind = kind_of(options)
    handler = handler_for(kind, request.method or "")
    if handler is None:
        # The path is served, but this kind of service does not answer this method.
        raise GMSError(
            f"Service {service_name} does not answer {request.method}",
            status=405,
            headers={"Allow": ", ".join(methods_of(kind))},
        )
    return handler(request, service_name, options)
