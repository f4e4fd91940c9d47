"""Reads of service instances, their data (kept in apps.storage) and the resource pools."""

from apps.core.errors import INVALID_PARAMETER, SERVICE_NOT_FOUND, BadRequest, NotFound
from apps.core.selectors import get_section
from apps.core.text import is_storable_text
from apps.services.models import ID_LENGTH, AccessReservation, ServiceInstance
from apps.services.validators import access_numbers
from apps.storage import selectors as storage_selectors
from apps.storage.models import StorageItem


def service_not_found(service_id: str) -> NotFound:
    """service.md §2.3, our choice: 404 with this class and message."""
    return NotFound(f"Service {service_id} not found", exception=SERVICE_NOT_FOUND)


def get_instance(service_id: str, *, lock: bool = False) -> ServiceInstance:
    """The live instance ``service_id``; ``lock`` holds its row until the transaction ends."""
    if len(service_id) <= ID_LENGTH and is_storable_text(service_id):
        instances = ServiceInstance.objects.live()
        if lock:
            instances = instances.select_for_update()
        instance = instances.filter(pk=service_id).first()
        if instance is not None:
            return instance
    raise service_not_found(service_id)


def pool_numbers(group: str) -> list[str]:
    """The access numbers of resource group ``group`` (``[resources]``, see validators)."""
    value = (get_section("resources") or {}).get(group)
    if value is None:
        raise BadRequest(f"Resource group {group} is not configured", exception=INVALID_PARAMETER)
    return access_numbers(value)


def string_data(service_id: str) -> dict[str, str]:
    """§2.5: every string key of the instance's data."""
    instance = get_instance(service_id)
    return storage_selectors.string_values(storage_id=instance.data_id, gms_user="")


def data_item(service_id: str, key: str) -> StorageItem:
    """§2.5: one key of the instance's data, or NotFound."""
    instance = get_instance(service_id)
    return storage_selectors.get_item(storage_id=instance.data_id, key=key, gms_user="")


def reservation_of(service_id: str) -> AccessReservation | None:
    """The first access reservation of an instance not yet purged, if any."""
    return AccessReservation.objects.filter(instance_id=service_id).first()
