"""Who may call what: port restrictions (responses.md §5) and HTTP Basic auth (§4).

Both are read from the configuration on every request, so an edit applies at once.

Basic auth is off until a password is configured. For a request in scope
``storage``, ``notification``, ``callback`` or ``service.<name>``, the user
name is ``scope.username or server.username`` and the password
``scope.password or server.password``; no password means no auth. With a
password but no user name anywhere, any user name passes (§4.2 step 6).

The admin paths (Node API) always need the admin credentials: the ``[admin]``
section's ``username``/``password`` when it sets a password, else the
``GMS_ADMIN_USER``/``GMS_ADMIN_PASSWORD`` settings. UNCONFIRMED in GMS where
these live; ``[admin]`` is our choice. With neither, every admin call is refused.
"""

import base64
import binascii
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from apps.core.config import Options
from apps.core.errors import DEFAULT_REALM, Forbidden, Unauthorized
from apps.core.selectors import get_sections


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


def basic_credentials(request: HttpRequest) -> Credentials | None:
    """The user name and password of an ``Authorization: Basic`` header, if well formed."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return Credentials(username, password) if sep else None


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _scope_credentials(sections: dict[str, Options], scope: str | None) -> Credentials | None:
    server = sections.get("server", {})
    own = sections.get(scope, {}) if scope else {}
    password = own.get("password") or server.get("password") or ""
    if not password:
        return None
    return Credentials(own.get("username") or server.get("username") or "", password)


def admin_credentials(sections: dict[str, Options] | None = None) -> Credentials | None:
    """The credentials of the admin paths, or None when none are configured."""
    admin = (sections if sections is not None else get_sections(["admin"])).get("admin", {})
    if admin.get("password"):
        return Credentials(admin.get("username") or settings.GMS_ADMIN_USER, admin["password"])
    if settings.GMS_ADMIN_PASSWORD:
        return Credentials(settings.GMS_ADMIN_USER, settings.GMS_ADMIN_PASSWORD)
    return None


def _check(request: HttpRequest, expected: Credentials, realm: str) -> None:
    given = basic_credentials(request)
    user_ok = given is not None and (
        not expected.username or _same(given.username, expected.username)
    )
    if not (user_ok and given is not None and _same(given.password, expected.password)):
        raise Unauthorized(realm)


def _port_lists(restrictions: Options) -> list[tuple[str, set[int]]]:
    return [(pattern, parse_ports(ports)) for pattern, ports in restrictions.items()]


def parse_ports(text: str) -> set[int]:
    """``92-98,100`` -> {92, ..., 98, 100}. Raises ValueError on anything else."""
    ports: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        first, last = int(low), int(high or low)
        if not (0 < first <= last <= 65535):
            raise ValueError(f"bad port range {part!r}")
        ports.update(range(first, last + 1))
    return ports


def _pattern_matches(pattern: str, path: str) -> bool:
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


def check_port(request: HttpRequest, restrictions: Options) -> None:
    """403 when ``[port_restrictions]`` does not allow this path on the port it came in on.

    The most specific (longest) matching pattern decides; a path that matches none
    is served on every port named anywhere in the section.
    """
    if not restrictions:
        return
    try:
        port = int(request.get_port())
    except ValueError:
        return
    lists = _port_lists(restrictions)
    matching = [
        (pattern, ports) for pattern, ports in lists if _pattern_matches(pattern, request.path)
    ]
    if matching:
        allowed = max(matching, key=lambda item: len(item[0]))[1]
    else:
        allowed = set().union(*(ports for _, ports in lists))
    if port not in allowed:
        raise Forbidden(f"Port {port} is not allowed for {request.path}")


def enforce_access(
    request: HttpRequest, *, scope: str | None, admin: bool = False, public: bool = False
) -> None:
    """Port restrictions, then (unless ``public``) Basic auth for ``scope`` or the admin."""
    names = ["server", "port_restrictions", "admin"] + ([scope] if scope else [])
    sections = get_sections(names)
    check_port(request, sections.get("port_restrictions", {}))
    if public:
        return
    realm = sections.get("server", {}).get("realm") or DEFAULT_REALM
    expected = admin_credentials(sections) if admin else _scope_credentials(sections, scope)
    if admin and expected is None:
        raise Unauthorized(realm)
    if expected is not None:
        _check(request, expected, realm)


def gms_user(request: HttpRequest) -> str:
    """The ``gms_user`` identity header (responses.md §3); not a credential."""
    return request.META.get("HTTP_GMS_USER", "").strip()
