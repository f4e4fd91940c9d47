"""The builtin services of service.md §3: request-interaction, request-access,
match-interaction and get, registered by kind for ``/genesys/1/service/{name}``.

Every answer value is a JSON string (service.md §2.1). Builtins read no ``_redirect``:
only a callback service redirects (callback.md §3.1).
"""

from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.config import Options, resolve_options
from apps.core.errors import SERVICE_NOT_FOUND, NotFound
from apps.core.parsing import parse_params
from apps.node.models import NodeStatus
from apps.node.selectors import node_status
from apps.services import registry, services
from apps.services.models import AccessReservation
from apps.services.params import (
    access_request,
    flag,
    invalid,
    number_param,
    text,
    ttl_of,
    user_values,
)

# Custom options a ``get`` service never shows: its own Basic-auth credentials.
HIDDEN_OPTIONS = frozenset({"username", "password"})
NO_BODY = (204, 304)


def access_info(reservation: AccessReservation, seconds: int) -> dict[str, str]:
    """§3.1: ``_id``, ``_access_number``, ``_access_code`` (when one was reserved) and
    ``_expiration_time``, the reservation's length in seconds (our choice, §2.1)."""
    body = {"_id": reservation.instance_id, "_access_number": reservation.access_number}
    if reservation.access_code:
        body["_access_code"] = reservation.access_code
    body["_expiration_time"] = str(seconds)
    return body


def _mandatory(values: dict[str, object], name: str) -> str:
    value = number_param(values, name)
    if not value:
        raise invalid(f"Mandatory parameter {name} is missing")
    return value


@registry.register("request-interaction", "POST")
def request_interaction(request: Request, service_name: str, options: Options) -> Response:
    """§3.1: a new instance keeping the user data, with an access number reserved for it."""
    params = parse_params(request)
    resolved = resolve_options(options, params.values)
    access = access_request(resolved.options, params.values)
    reservation = services.request_interaction(
        service_name=service_name,
        ttl=ttl_of(resolved.options),
        values=user_values(params, resolved.token_params),
        access=access,
        now=timezone.now(),
    )
    return Response(access_info(reservation, access.seconds))


@registry.register("request-access", "POST")
def request_access(request: Request, service_name: str, options: Options) -> Response:
    """§3.2: one more access number for the live instance ``_id`` (404 when it is not)."""
    values = parse_params(request).values
    resolved = resolve_options(options, values).options
    service_id = text(values.get("_id", "")).strip()
    if not service_id:
        raise invalid("Mandatory parameter _id is missing")
    access = access_request(resolved, values)
    reservation = services.request_access(service_id=service_id, access=access, now=timezone.now())
    return Response(access_info(reservation, access.seconds))


@registry.register("match-interaction", "POST")
def match_interaction(request: Request, service_name: str, options: Options) -> Response:
    """§3.3: the instance an access number (and code) was reserved for; 404 when none.

    ``_return_data=true`` adds the instance's string data to each match, beside
    ``_id`` and ``_data_id`` (user keys never start with ``_``). ``_delete_service=true``
    deletes the matched instances and their data once answered (our choice, §3.3).
    """
    values = parse_params(request).values
    resolved = resolve_options(options, values).options
    number = _mandatory(values, "_access_number")
    multiple = flag(resolved, values, "_return_multiple_matches")
    matches = services.match_interaction(
        access_number=number,
        access_code=number_param(values, "_access_code"),
        phone_number=number_param(values, "_phone_number"),
        multiple=multiple,
        with_data=flag(resolved, values, "_return_data"),
        delete_service=flag(resolved, values, "_delete_service"),
        now=timezone.now(),
    )
    if not matches:
        raise NotFound(f"No service matches access number {number}", exception=SERVICE_NOT_FOUND)
    found = [
        {"_id": match.service_id, "_data_id": match.data_id, **(match.data or {})}
        for match in matches
    ]
    return Response({"matches": found} if multiple else found[0])


@registry.register("get", "GET")
def get(request: Request, service_name: str, options: Options) -> Response:
    """§3.4: ``_online_code`` (200) while the node is ONLINE, ``_offline_code`` (503) when
    not, with the custom options (not ``_*``, nor the service's credentials)."""
    online = node_status() == NodeStatus.ONLINE
    option, default = ("_online_code", "200") if online else ("_offline_code", "503")
    status = int(options.get(option, "").strip() or default)
    if status in NO_BODY:
        return Response(status=status)
    body = {
        key: value
        for key, value in options.items()
        if not key.startswith("_") and key not in HIDDEN_OPTIONS
    }
    return Response(body, status=status)
