"""Validators of the sections every API reads: ``server``, ``admin``, ``port_restrictions``."""

from collections.abc import Iterable

from apps.core.auth import parse_ports
from apps.core.config import Options, check_bool, check_username, register_validator


@register_validator("server")
def validate_server(name: str, options: Options) -> Iterable[tuple[str, str]]:
    yield from check_username(options)
    yield from check_bool(options, "allow-file-control")
    for mime in options.get("allowed-mime-types", "").split(","):
        mime = mime.strip()
        if mime and "/" not in mime:
            yield "allowed-mime-types", f"{mime!r} is not a media type such as image/png"


@register_validator("admin")
def validate_admin(name: str, options: Options) -> Iterable[tuple[str, str]]:
    yield from check_username(options)
    if options.get("username") and not options.get("password"):
        yield "password", "is required when username is set"


@register_validator("storage")
@register_validator("notification")
@register_validator("callback")
def validate_credentials(name: str, options: Options) -> Iterable[tuple[str, str]]:
    """A scope's own Basic-auth credentials; a username may pair with the [server] password."""
    return check_username(options)


@register_validator("port_restrictions")
def validate_port_restrictions(name: str, options: Options) -> Iterable[tuple[str, str]]:
    for pattern, ports in options.items():
        if not pattern.startswith("/"):
            yield pattern, "a URI pattern starts with '/' (e.g. /genesys/1/storage*)"
        try:
            if not parse_ports(ports):
                yield pattern, "lists no port"
        except ValueError:
            yield pattern, f"{ports!r} is not a list of ports and ranges such as 92-98,100"
