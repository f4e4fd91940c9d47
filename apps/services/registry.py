"""Which code answers a request to a service section, by its ``_service`` kind.

``/genesys/1/service/{name}`` serves every kind of service (service.md §2): the
office-hours and capacity queries, request-interaction, ORS-style workflows...
Each app registers the handlers of the kinds it implements, in its AppConfig.ready(),
and the Service API view dispatches to them.
"""

from collections.abc import Callable

from django.http import HttpResponse
from rest_framework.request import Request

from apps.core.config import Options

# handler(request, service_name, options) -> response
Handler = Callable[[Request, str, Options], HttpResponse]

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
