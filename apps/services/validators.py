"""Save-time validation of the builtin services' options and of the resource pools.

Resource pools: GMS keeps its access-number pools in a ``GMS_Resources`` transaction
list. Our choice: the one ``[resources]`` section (already a system section), an
option per pool whose value lists the pool's access numbers::

    [resources]
    DNIS=+18005550100,+18005550101

A per-pool section such as ``[resources.DNIS]`` would be read as a pattern group by
``section_kind``, so one section with an option per pool it is.
"""

import re
from collections.abc import Iterable

from apps.core.config import Options, check_bool, check_int, register_validator
from apps.services.access_codes import MAX_LENGTH

ACCESS_NUMBER = re.compile(r"^\+?[0-9]{1,30}$")
POOL_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,200}$")
STATUS_CODES = range(200, 600)


def access_numbers(value: str) -> list[str]:
    """The numbers a pool option lists, in order."""
    return [number.strip() for number in value.split(",") if number.strip()]


@register_validator("resources")
def validate_resources(name: str, options: Options) -> Iterable[tuple[str, str]]:
    for pool, value in options.items():
        if not POOL_NAME.match(pool):
            yield pool, "a resource group name uses letters, digits, '_', '.' and '-'"
        numbers = access_numbers(value)
        if not numbers:
            yield pool, "lists no access number"
        for number in numbers:
            if not ACCESS_NUMBER.match(number):
                yield pool, f"{number!r} is not an access number such as +18005550100"
        if len(set(numbers)) != len(numbers):
            yield pool, "lists an access number twice"


@register_validator("service:request-interaction")
@register_validator("service:request-access")
def validate_access(name: str, options: Options) -> Iterable[tuple[str, str]]:
    yield from check_bool(options, "_provide_code")
    yield from check_int(options, "_booking_expiration_timeout", minimum=1)
    yield from check_int(options, "_access_code_length", minimum=1)
    length = options.get("_access_code_length", "").strip()
    if length.isdigit() and int(length) > MAX_LENGTH:
        yield "_access_code_length", f"must be at most {MAX_LENGTH}"
    group = options.get("_resource_group", "").strip()
    if group and "$" not in group and not POOL_NAME.match(group):
        yield "_resource_group", "a resource group name uses letters, digits, '_', '.' and '-'"


@register_validator("service:match-interaction")
def validate_match(name: str, options: Options) -> Iterable[tuple[str, str]]:
    for option in ("_return_multiple_matches", "_return_data", "_delete_service"):
        yield from check_bool(options, option)


@register_validator("service:get")
def validate_get(name: str, options: Options) -> Iterable[tuple[str, str]]:
    for option in ("_online_code", "_offline_code"):
        value = options.get(option, "").strip()
        if value and not (value.isdigit() and int(value) in STATUS_CODES):
            yield option, "must be an HTTP status from 200 to 599"


@register_validator("ors")
def validate_ors(name: str, options: Options) -> Iterable[tuple[str, str]]:
    yield from check_int(options, "max_ors_request_attempts", minimum=1)
