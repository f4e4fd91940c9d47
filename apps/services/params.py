"""Reading one request to a builtin service: control values, user data, access requests.

Keys starting with ``_`` are control parameters; the others are user data, kept in the
instance's storage area (service.md §1.2). A control value may come from the service's
options or the request; the request wins for the parameters service.md lists as
request parameters (``_provide_code``, ``_resource_group``, ...).
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass

from apps.core.config import Options
from apps.core.errors import INVALID_PARAMETER, BadRequest
from apps.core.parsing import RequestParams, flat_items
from apps.core.selectors import get_section
from apps.core.text import is_storable_text
from apps.services.access_codes import DEFAULT_LENGTH, MAX_LENGTH
from apps.services.models import MAX_NUMBER_LENGTH
from apps.storage.services import BinaryValue, StorageValue

DEFAULT_RESOURCE_GROUP = "DNIS"
DEFAULT_TTL = 30  # service.md §1: builtins
MAX_SECONDS = 10 * 365 * 24 * 3600  # any longer reservation is a typo (our choice)


def invalid(message: str) -> BadRequest:
    return BadRequest(message, exception=INVALID_PARAMETER)


def text(value: object) -> str:
    """A JSON number, boolean or object is kept as its JSON text."""
    return value if isinstance(value, str) else json.dumps(value)


def control(options: Options, values: Mapping[str, object], name: str, default: str = "") -> str:
    """A control value: the request's, else the service's option, else ``default``."""
    if name in values and values[name] is not None:
        return text(values[name]).strip()
    return options.get(name, "").strip() or default


def flag(options: Options, values: Mapping[str, object], name: str) -> bool:
    value = control(options, values, name, "false").lower()
    if value not in ("true", "false"):
        raise invalid(f"{name} must be true or false")
    return value == "true"


def bounded_int(value: str, name: str, *, maximum: int = MAX_SECONDS) -> int:
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= maximum:
        raise invalid(f"{name} must be a whole number from 1 to {maximum}")
    return int(value)


def ttl_of(options: Options) -> int:
    """The configured ``_ttl`` (validated on save), 30 s by default."""
    value = options.get("_ttl", "").strip()
    return bounded_int(value, "_ttl") if value else DEFAULT_TTL


def user_values(params: RequestParams, token_params: frozenset[str]) -> dict[str, StorageValue]:
    """User data (keys without ``_``, minus those that filled a ``$token$``); a
    ``userData[key]`` form key is a plain key, a multipart file a binary."""
    user = {
        key: value
        for key, value in params.values.items()
        if not key.startswith("_") and key not in token_params
    }
    values: dict[str, StorageValue] = {key: text(value) for key, value in flat_items(user)}
    for key, upload in params.files.items():
        if not key.startswith("_"):
            values[key] = BinaryValue(
                data=upload.read(), content_type=upload.content_type or "", filename=upload.name
            )
    return values


@dataclass(frozen=True)
class AccessRequest:
    """What to reserve: a number of ``group``, a code or not, for how long."""

    group: str
    provide_code: bool
    code_length: int
    code_prefix: str
    phone_number: str
    seconds: int


def number_param(values: Mapping[str, object], name: str) -> str:
    """A phone or access number of the request ('' when absent), short enough to store."""
    number = text(values.get(name, "")).strip()
    if len(number) > MAX_NUMBER_LENGTH or not is_storable_text(number):
        raise invalid(f"{name} must be a number of at most {MAX_NUMBER_LENGTH} characters")
    return number


def access_request(options: Options, values: Mapping[str, object]) -> AccessRequest:
    """service.md §3.1/§3.2: the reservation a request asks for.

    It lasts ``_booking_expiration_timeout`` when given (request or option), else ``_ttl``.
    """
    timeout = control(options, values, "_booking_expiration_timeout")
    length = control(options, values, "_access_code_length", str(DEFAULT_LENGTH))
    return AccessRequest(
        group=control(options, values, "_resource_group", DEFAULT_RESOURCE_GROUP),
        provide_code=flag(options, values, "_provide_code"),
        code_length=bounded_int(length, "_access_code_length", maximum=MAX_LENGTH),
        code_prefix=(get_section("server") or {}).get("access_code_prefix", ""),
        phone_number=number_param(values, "_phone_number"),
        seconds=bounded_int(timeout, "_booking_expiration_timeout") if timeout else ttl_of(options),
    )
