"""Writes of storage areas: create, custom create, update, delete and purge; one transaction each.

Each write checks its whole input before it touches an area, and any refusal
rolls the transaction back: a refused request stores nothing and leaves the
area as it was.

Limits (storage.md §5): ``GMS_STORAGE_MAX_UPLOAD_BYTES`` bounds the keys and
values of one write; ``GMS_STORAGE_MAX_KEYS`` bounds the keys of one write and
of an area after a merge. Our choice: both answer 413 (0 turns a limit off).
With ``[server] allow-file-control=true`` a file whose media type is not in
``allowed-mime-types`` is refused with 400; an empty list then refuses every file.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from apps.core.config import as_bool
from apps.core.errors import BadRequest, Forbidden, NotFound, PayloadTooLarge
from apps.core.selectors import get_section
from apps.core.text import is_storable_text
from apps.storage import selectors
from apps.storage.models import (
    MAX_ID_LENGTH,
    MAX_KEY_LENGTH,
    MEDIA_TYPE,
    StorageArea,
    StorageItem,
)


@dataclass(frozen=True)
class BinaryValue:
    """A file to store byte for byte, with the part's content type and file name."""

    data: bytes
    content_type: str = ""
    filename: str = ""


StorageValue = str | BinaryValue


@transaction.atomic
def create_storage(
    *, ttl: str | int, values: Mapping[str, StorageValue], gms_user: str = ""
) -> StorageArea:
    """A new area under a fresh UUID (§4.1). ``gms_user`` is kept as the owner, never checked."""
    _require_storable(gms_user, "gms_user header")
    items = _new_items(values)
    area = StorageArea.objects.create(gms_user=gms_user, expires_at=StorageArea.expiry_for(ttl))
    _merge(area, items, existing=set())
    return area


@transaction.atomic
def save_custom_storage(
    *, custom_id: str, ttl: str | int, values: Mapping[str, StorageValue], gms_user: str
) -> StorageArea:
    """Create ``custom_id`` for ``gms_user``, or merge into it when that user owns it (§4.2).

    The id is unique across the server: while it is live, anyone else gets 403,
    including the creator of a plain area that has this id. An expired area of
    that id counts as never created.
    """
    if not gms_user:
        raise BadRequest("Header gms_user is missing")
    _require_storable(gms_user, "gms_user header")
    if not 0 < len(custom_id) <= MAX_ID_LENGTH:
        raise BadRequest(f"A custom id has 1 to {MAX_ID_LENGTH} characters")
    _require_storable(custom_id, "custom id")
    items = _new_items(values)
    area, created = StorageArea.objects.select_for_update().get_or_create(
        pk=custom_id,
        defaults={
            "is_custom": True,
            "gms_user": gms_user,
            "expires_at": StorageArea.expiry_for(ttl),
        },
    )
    if not created:
        if area.is_expired:  # as if it never existed: this user creates it anew
            area.items.all().delete()
            area.is_custom, area.gms_user = True, gms_user
        elif not (area.is_custom and area.gms_user == gms_user):
            raise Forbidden(f"Storage {custom_id} belongs to another user")
        area.restart_clock(ttl)
        area.save()
    existing = set() if created else set(area.items.values_list("key", flat=True))
    _merge(area, items, existing=existing)
    return area


@transaction.atomic
def update_storage(
    *, storage_id: str, ttl: str | int, values: Mapping[str, StorageValue], gms_user: str = ""
) -> StorageArea:
    """Add or replace the keys sent, keep the others, restart the TTL (§4.3); never creates."""
    items = _new_items(values)
    area = selectors.get_area(storage_id=storage_id, gms_user=gms_user, lock=True)
    area.restart_clock(ttl)
    area.save(update_fields=["expires_at"])
    _merge(area, items, existing=set(area.items.values_list("key", flat=True)))
    return area


@transaction.atomic
def delete_storage(*, storage_id: str, gms_user: str = "") -> None:
    """Remove a whole live area (§4.7); an unknown one is a 404, not an idempotent success."""
    selectors.get_area(storage_id=storage_id, gms_user=gms_user, lock=True).delete()


@transaction.atomic
def delete_key(*, storage_id: str, key: str, gms_user: str = "") -> None:
    """Remove one key of a live area (the Service API's data, service.md §2.5); absent is a 404."""
    area = selectors.get_area(storage_id=storage_id, gms_user=gms_user, lock=True)
    deleted, _ = area.items.filter(key=key).delete() if is_storable_text(key) else (0, {})
    if not deleted:
        raise NotFound(f"Key {key} not found in storage {storage_id}")


@transaction.atomic
def purge_expired_storage() -> int:
    """Delete every area whose TTL has run out; returns how many. Reads already skip them."""
    _, deleted = StorageArea.objects.expired().delete()
    return deleted.get(StorageArea._meta.label, 0)


def _merge(area: StorageArea, items: list[StorageItem], *, existing: set[str]) -> None:
    keys = {item.key for item in items}
    _check_key_count(len(existing | keys))
    replaced = existing & keys
    if replaced:
        area.items.filter(key__in=replaced).delete()
    for item in items:
        item.area = area
    StorageItem.objects.bulk_create(items)


def _new_items(values: Mapping[str, StorageValue]) -> list[StorageItem]:
    """The items of one write, after every check that needs no area."""
    _check_key_count(len(values))
    items = [_new_item(key, value) for key, value in values.items()]
    limit = settings.GMS_STORAGE_MAX_UPLOAD_BYTES
    size = sum(item.size for item in items)
    if limit and size > limit:
        raise PayloadTooLarge(f"{size} bytes of keys and values is more than the {limit} allowed")
    _check_file_types(item for item in items if item.is_binary)
    return items


def _new_item(key: str, value: StorageValue) -> StorageItem:
    if not 0 < len(key) <= MAX_KEY_LENGTH:
        raise BadRequest(f"A storage key has 1 to {MAX_KEY_LENGTH} characters")
    _require_storable(key, "key")
    if isinstance(value, str):
        _require_storable(value, f"value of key {key}")
        return StorageItem.string(key=key, text=value)
    content_type = value.content_type.strip()
    if content_type and not MEDIA_TYPE.fullmatch(content_type):
        raise BadRequest(f"The file of key {key} has an invalid Content-Type {content_type!r}")
    _require_storable(value.filename, f"file name of key {key}")
    return StorageItem.binary(
        key=key, data=value.data, content_type=content_type, filename=value.filename
    )


def _check_key_count(count: int) -> None:
    limit = settings.GMS_STORAGE_MAX_KEYS
    if limit and count > limit:
        raise PayloadTooLarge(f"{count} keys is more than the {limit} a storage area may hold")


def _check_file_types(binaries: Iterable[StorageItem]) -> None:
    server = get_section("server") or {}
    if not as_bool(server.get("allow-file-control")):
        return
    allowed = {
        media.strip().lower()
        for media in server.get("allowed-mime-types", "").split(",")
        if media.strip()
    }
    for item in binaries:
        if item.media_type not in allowed:
            raise BadRequest(f"File type {item.media_type} of key {item.key} is not allowed")


def _require_storable(text: str, what: str) -> None:
    if not is_storable_text(text):
        raise BadRequest(f"The {what} holds a NUL or an invalid character")
