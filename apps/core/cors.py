"""Cross-origin calls from browser widgets (chat-v2.md, email.md §7, openmedia.md).

GMS clients are often web widgets on the contact center's own site, calling this
server cross-origin. django-cors-headers answers preflights and writes the headers;
which origins may call is configuration, read per request like every option (our
choice, UNCONFIRMED in GMS: the spec asks for "a configured list, echo the Origin,
allow credentials")::

    [cors]
    allowed_origins = https://www.example.com, https://*.example.org

An entry is a scheme and host (and port), or ``*.`` in front of a domain for any of its
subdomains; a bare ``*`` is refused (credentials are allowed, so every origin would be).
Only the GMS API paths (/genesys/...) answer cross-origin; none is allowed until the
section lists one.
"""

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from corsheaders.middleware import CorsMiddleware
from corsheaders.signals import check_request_enabled
from django.dispatch import receiver
from django.http import HttpRequest

from apps.core.config import Options, register_validator
from apps.core.selectors import get_section

SECTION = "cors"
API_PATHS = re.compile(r"^/genesys/")


class SyncCorsMiddleware(CorsMiddleware):
    """django-cors-headers' middleware, run as sync code: the origin check reads the
    configuration from the database, which an async middleware may not do under ASGI."""

    async_capable = False


def _entries(options: Options) -> list[str]:
    return [
        entry.strip() for entry in options.get("allowed_origins", "").split(",") if entry.strip()
    ]


def _matches(origin: str, entry: str) -> bool:
    scheme, _, host = entry.partition("://")
    if host.startswith("*."):
        parsed = urlsplit(origin)
        return parsed.scheme == scheme and (parsed.netloc or "").endswith(host[1:])
    return origin == entry.rstrip("/")


def origin_allowed(request: HttpRequest) -> bool:
    """Whether ``request`` comes from an origin [cors] allows, on a GMS API path."""
    origin = request.headers.get("origin", "")
    if not origin or not API_PATHS.match(request.path_info):
        return False
    if not hasattr(request, "_gms_cors_allowed"):  # asked twice per request by the middleware
        entries = _entries(get_section(SECTION) or {})
        request._gms_cors_allowed = any(_matches(origin, entry) for entry in entries)
    return request._gms_cors_allowed


@receiver(check_request_enabled)
def _allow_configured_origins(sender: object, request: HttpRequest, **kwargs: object) -> bool:
    return origin_allowed(request)


@register_validator(SECTION)
def validate_cors(name: str, options: Options) -> Iterable[tuple[str, str]]:
    for entry in _entries(options):
        scheme, separator, host = entry.partition("://")
        bare = host.removeprefix("*.")
        if (
            scheme not in ("http", "https")
            or not separator
            or not bare
            or "*" in bare
            or "/" in bare
        ):
            yield (
                "allowed_origins",
                f"{entry!r} is not an origin: https://host[:port] or https://*.domain",
            )
