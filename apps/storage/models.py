"""Storage areas (storage.md §2): temporary key/value stores that vanish when their TTL runs out."""

import re
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

DEFAULT_TTL = 30  # storage.md §3: a missing, non-numeric or non-positive TTL
# No maximum by default (§3), but the expiry date must stay a date the database can hold.
LONGEST_TTL = 100 * 365 * 24 * 3600
TTL_TEXT = re.compile(r"[+-]?[0-9]+")
MAX_ID_LENGTH = 255
MAX_KEY_LENGTH = 255  # fits a unique index on every backend
DEFAULT_BINARY_TYPE = "application/octet-stream"
# A file part's media type (RFC 6838 names), optionally with the charset the part declared.
_NAME = r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
MEDIA_TYPE = re.compile(rf"{_NAME}/{_NAME}(;charset=[A-Za-z0-9!#$%&'*+.^_`|~-]{{1,64}})?")


def new_storage_id() -> str:
    """storage.md §2, our choice: a random UUID4, canonical lower-case form."""
    return str(uuid.uuid4())


def effective_ttl(requested: str | int) -> int:
    """The TTL in seconds a request gets: 30 when invalid or ≤ 0, clamped by GMS_STORAGE_MAX_TTL.

    ``float`` rather than ``int``: a TTL of thousands of digits must clamp, not fail.
    """
    text = str(requested).strip()
    seconds = float(text) if TTL_TEXT.fullmatch(text) else 0
    if seconds <= 0:
        return DEFAULT_TTL
    return int(min(seconds, settings.GMS_STORAGE_MAX_TTL or LONGEST_TTL, LONGEST_TTL))


class StorageAreaQuerySet(models.QuerySet):
    def live(self) -> "StorageAreaQuerySet":
        """Areas whose TTL has not run out: an expired area answers as if it never existed."""
        return self.filter(expires_at__gt=timezone.now())

    def expired(self) -> "StorageAreaQuerySet":
        return self.filter(expires_at__lte=timezone.now())


class StorageArea(models.Model):
    """One storage id and its items. A custom area is owned by the ``gms_user`` that created it."""

    id = models.CharField(primary_key=True, max_length=MAX_ID_LENGTH, default=new_storage_id)
    is_custom = models.BooleanField(default=False)
    # The gms_user header of the creator; checked only for custom areas (§4.1, §4.2).
    gms_user = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    objects = StorageAreaQuerySet.as_manager()

    class Meta:
        ordering = ["expires_at"]

    def __str__(self) -> str:
        return self.id

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def expiry_for(ttl: str | int) -> datetime:
        return timezone.now() + timedelta(seconds=effective_ttl(ttl))

    def restart_clock(self, ttl: str | int) -> None:
        """Create and update both set ``expires_at = now + ttl`` (§3, our choice for update)."""
        self.expires_at = self.expiry_for(ttl)

    def is_visible_to(self, gms_user: str) -> bool:
        """A custom area exists only for its owner (§4.2); the others exist for everyone."""
        return not self.is_custom or self.gms_user == gms_user


class ItemKind(models.TextChoices):
    STRING = "string"
    BINARY = "binary"


class StorageItem(models.Model):
    """One key of an area: a string (a form field) or a binary (a file part, kept byte for byte)."""

    area = models.ForeignKey(StorageArea, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=MAX_KEY_LENGTH)
    kind = models.CharField(max_length=6, choices=ItemKind.choices)
    text = models.TextField(blank=True, default="")
    blob = models.BinaryField(blank=True, default=b"")
    content_type = models.TextField(blank=True, default="")
    filename = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "key"], name="unique_key_per_storage_area")
        ]

    def __str__(self) -> str:
        return self.key

    @classmethod
    def string(cls, *, key: str, text: str) -> "StorageItem":
        return cls(key=key, kind=ItemKind.STRING, text=text)

    @classmethod
    def binary(
        cls, *, key: str, data: bytes, content_type: str = "", filename: str = ""
    ) -> "StorageItem":
        return cls(
            key=key,
            kind=ItemKind.BINARY,
            blob=data,
            content_type=content_type or DEFAULT_BINARY_TYPE,
            filename=filename,
        )

    @property
    def is_binary(self) -> bool:
        return self.kind == ItemKind.BINARY

    @property
    def media_type(self) -> str:
        """The content type without its parameters, as ``allowed-mime-types`` lists it."""
        return self.content_type.split(";")[0].strip().lower()

    @property
    def size(self) -> int:
        """Bytes the item holds, as counted against GMS_STORAGE_MAX_UPLOAD_BYTES."""
        value = bytes(self.blob) if self.is_binary else self.text.encode("utf-8")
        return len(self.key.encode("utf-8")) + len(value)
