"""Reads of storage areas. An expired area, or a custom one read by another user, is not found."""

from apps.core.errors import NotFound
from apps.core.text import is_storable_text
from apps.storage.models import ItemKind, StorageArea, StorageItem


def get_area(*, storage_id: str, gms_user: str, lock: bool = False) -> StorageArea:
    """The live area ``gms_user`` may see; ``lock`` holds its row until the transaction ends.

    Raises NotFound (storage.md §4.4, §4.2: a custom area hides from other users).
    """
    if is_storable_text(storage_id):
        areas = StorageArea.objects.live()
        if lock:
            areas = areas.select_for_update()
        area = areas.filter(pk=storage_id).first()
        if area is not None and area.is_visible_to(gms_user):
            return area
    raise NotFound(f"Storage {storage_id} not found")


def string_values(*, storage_id: str, gms_user: str) -> dict[str, str]:
    """Read all (§4.4): the string items as a flat object; binaries are fetched one by one."""
    area = get_area(storage_id=storage_id, gms_user=gms_user)
    return dict(area.items.filter(kind=ItemKind.STRING).values_list("key", "text"))


def get_item(*, storage_id: str, key: str, gms_user: str) -> StorageItem:
    """One key of a live area (§4.5, §4.6), or NotFound."""
    area = get_area(storage_id=storage_id, gms_user=gms_user)
    item = area.items.filter(key=key).first() if is_storable_text(key) else None
    if item is None:
        raise NotFound(f"Key {key} not found in storage {storage_id}")
    return item
