"""Writes of service instances and access reservations (service.md §2-§3); one transaction each.

An instance's user data lives in an apps.storage area (its ``_data_id``) that expires
with it. Access numbers are chosen under a row lock on the resource group, so two
concurrent requests never hold the same number and code at once.
"""

import contextlib
import math
import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.core.errors import GMSError, NotFound
from apps.services import listeners, selectors
from apps.services.access_codes import every_access_code, new_access_code
from apps.services.models import AccessReservation, ResourcePool, ServiceInstance
from apps.services.params import AccessRequest
from apps.storage import selectors as storage_selectors
from apps.storage import services as storage_services
from apps.storage.services import StorageValue

# Random codes drawn for one number before listing its free ones; a prefix leaving too
# many codes to list then counts as full (our choice).
CODE_ATTEMPTS = 50
NO_RESOURCE = "com.genesyslab.gsg.services.exceptions.ResourceNotAvailableException"


@dataclass(frozen=True)
class Match:
    """A matched instance's ids, and its string data when the request asked for it."""

    service_id: str
    data_id: str
    data: dict[str, str] | None


def _exhausted(group: str) -> GMSError:
    """UNCONFIRMED in GMS. Our choice: 503 (a limit, as service.md §2.1 lists), this class."""
    return GMSError(
        f"No access number of resource group {group} is free", status=503, exception=NO_RESOURCE
    )


def _remaining(instance: ServiceInstance, now: datetime) -> int:
    return max(math.ceil((instance.expires_at - now).total_seconds()), 1)


def _start(
    *, service_name: str, ttl: int, values: dict[str, StorageValue], service_id: str | None
) -> ServiceInstance:
    area = storage_services.create_storage(ttl=ttl, values=values)
    instance = ServiceInstance(
        service_name=service_name, data_id=area.id, expires_at=area.expires_at
    )
    if service_id is not None:
        instance.pk = service_id
    instance.save(force_insert=True)
    return instance


def _outlive(instance: ServiceInstance, until: datetime, now: datetime) -> None:
    """Keep the instance and its data at least until ``until`` (a reservation's end)."""
    if until <= instance.expires_at:
        return
    instance.expires_at = until
    instance.save(update_fields=["expires_at"])
    storage_services.update_storage(
        storage_id=instance.data_id, ttl=_remaining(instance, now), values={}
    )


def _reserve(instance: ServiceInstance, access: AccessRequest, now: datetime) -> AccessReservation:
    """One number (and code) of the group, under the group's row lock.

    A number reserved without a code is exclusive; with codes, a number is shared and
    the least used one is taken. Among equals the choice is random (service.md §3.1).
    """
    numbers = selectors.pool_numbers(access.group)
    code = new_access_code(length=access.code_length, prefix=access.code_prefix)
    ResourcePool.objects.get_or_create(name=access.group)
    pool = ResourcePool.objects.select_for_update().get(name=access.group)
    pool.reservations.filter(expires_at__lte=now).delete()
    exclusive: set[str] = set()
    codes: dict[str, set[str]] = defaultdict(set)
    for number, held in pool.reservations.values_list("access_number", "access_code"):
        if held:
            codes[number].add(held)
        else:
            exclusive.add(number)
    if access.provide_code:
        shareable = [number for number in numbers if number not in exclusive]
        if not shareable:
            raise _exhausted(access.group)
        fewest = min(len(codes[number]) for number in shareable)
        number = secrets.choice([n for n in shareable if len(codes[n]) == fewest])
        code = _free_code(code, codes[number], access)
    else:
        free = [number for number in numbers if number not in exclusive and not codes[number]]
        if not free:
            raise _exhausted(access.group)
        number, code = secrets.choice(free), ""
    return AccessReservation.objects.create(
        pool=pool,
        instance=instance,
        access_number=number,
        access_code=code,
        phone_number=access.phone_number,
        created_at=now,
        expires_at=now + timedelta(seconds=access.seconds),
    )


def _free_code(code: str, taken: set[str], access: AccessRequest) -> str:
    """A code of this number not taken: random draws, then, for a prefix that leaves few
    codes, a choice among the free ones listed (so a nearly full number is not "full")."""
    for _ in range(CODE_ATTEMPTS):
        if code not in taken:
            return code
        code = new_access_code(length=access.code_length, prefix=access.code_prefix)
    listed = every_access_code(length=access.code_length, prefix=access.code_prefix) or []
    free = [candidate for candidate in listed if candidate not in taken]
    if free:
        return secrets.choice(free)
    raise _exhausted(access.group)


@transaction.atomic
def start_instance(
    *, service_name: str, ttl: int, values: dict[str, StorageValue], service_id: str | None = None
) -> ServiceInstance:
    """A new instance keeping ``values`` for ``ttl`` seconds (service.md §2.1)."""
    return _start(service_name=service_name, ttl=ttl, values=values, service_id=service_id)


@transaction.atomic
def request_interaction(
    *,
    service_name: str,
    ttl: int,
    values: dict[str, StorageValue],
    access: AccessRequest,
    now: datetime,
    service_id: str | None = None,
) -> AccessReservation:
    """§3.1: a new instance with an access number reserved for it. The instance lives at
    least as long as the reservation, so a match always finds it (our choice)."""
    instance = _start(
        service_name=service_name,
        ttl=max(ttl, access.seconds),
        values=values,
        service_id=service_id,
    )
    return _reserve(instance, access, now)


@transaction.atomic
def request_access(*, service_id: str, access: AccessRequest, now: datetime) -> AccessReservation:
    """§3.2: one more reservation for a live instance, which then lives at least as long."""
    instance = selectors.get_instance(service_id, lock=True)
    reservation = _reserve(instance, access, now)
    _outlive(instance, reservation.expires_at, now)
    return reservation


@transaction.atomic
def match_interaction(
    *,
    access_number: str,
    access_code: str,
    phone_number: str,
    multiple: bool,
    with_data: bool,
    delete_service: bool,
    now: datetime,
) -> list[Match]:
    """§3.3: the live reservations of a dialled number, oldest first, released once matched.

    A code, when given, must be the reserved one; without a code any reservation of the
    number matches. A caller ANI rules out reservations made for another phone number.
    The rows are locked, so one reservation is matched once. The app of a matched
    instance's kind hears of it in this transaction (:mod:`apps.services.listeners`).
    """
    reservations = AccessReservation.objects.select_for_update().filter(
        access_number=access_number, expires_at__gt=now, instance__expires_at__gt=now
    )
    if access_code:
        reservations = reservations.filter(access_code=access_code)
    if phone_number:
        reservations = reservations.filter(Q(phone_number="") | Q(phone_number=phone_number))
    matched = list(reservations[: None if multiple else 1])
    instances = ServiceInstance.objects.in_bulk({r.instance_id for r in matched})
    matches = []
    for reservation in matched:
        instance = instances[reservation.instance_id]
        data = _data_of(instance) if with_data else None
        matches.append(Match(service_id=instance.pk, data_id=instance.data_id, data=data))
    listeners.matched((instances[r.instance_id] for r in matched), now)
    AccessReservation.objects.filter(pk__in=[r.pk for r in matched]).delete()
    if delete_service:
        for instance in instances.values():
            _delete(instance)
    return matches


def _data_of(instance: ServiceInstance) -> dict[str, str]:
    try:
        return storage_selectors.string_values(storage_id=instance.data_id, gms_user="")
    except NotFound:  # the data area was deleted on its own
        return {}


def _delete(instance: ServiceInstance) -> None:
    with contextlib.suppress(NotFound):  # the data area was deleted on its own
        storage_services.delete_storage(storage_id=instance.data_id)
    instance.delete()


@transaction.atomic
def delete_instance(*, service_id: str) -> None:
    """§2.4: end a live instance: its data and its reserved access numbers go with it."""
    _delete(selectors.get_instance(service_id, lock=True))


@transaction.atomic
def save_data(*, service_id: str, values: dict[str, StorageValue], now: datetime) -> None:
    """§2.5 POST: add or replace keys; the data keeps the instance's expiry."""
    instance = selectors.get_instance(service_id, lock=True)
    storage_services.update_storage(
        storage_id=instance.data_id, ttl=_remaining(instance, now), values=values
    )


@transaction.atomic
def delete_data_key(*, service_id: str, key: str) -> None:
    """§2.5 DELETE: remove one key of the instance's data; an absent key is a 404."""
    instance = selectors.get_instance(service_id, lock=True)
    try:
        storage_services.delete_key(storage_id=instance.data_id, key=key)
    except NotFound:
        raise NotFound(f"Key {key} not found in service {service_id}") from None


@transaction.atomic
def purge_expired(*, now: datetime | None = None) -> int:
    """Delete expired reservations and instances (their storage areas expire on their own)."""
    now = now or timezone.now()
    AccessReservation.objects.filter(expires_at__lte=now).delete()
    _, deleted = ServiceInstance.objects.filter(expires_at__lte=now).delete()
    return deleted.get(ServiceInstance._meta.label, 0)
