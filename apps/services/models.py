"""Service instances (service.md §2) and the access numbers reserved for them (§3.1-§3.3).

An instance is what ``POST /genesys/1/service/{name}`` of a builtin creates: an ``_id``,
the storage area holding its user data (``_data_id``) and an expiry (``_ttl``). A
reservation lends one access number (and maybe a code) of a resource pool to an
instance until it is matched, released or expires.
"""

import uuid

from django.db import models
from django.utils import timezone

ID_LENGTH = 36  # a UUID
MAX_NAME_LENGTH = 200
MAX_NUMBER_LENGTH = 100


def new_service_id() -> str:
    return str(uuid.uuid4())


class LiveQuerySet(models.QuerySet):
    def live(self) -> "LiveQuerySet":
        """Rows whose expiry has not come: an expired one answers as if it never existed."""
        return self.filter(expires_at__gt=timezone.now())

    def expired(self) -> "LiveQuerySet":
        return self.filter(expires_at__lte=timezone.now())


class ServiceInstance(models.Model):
    """One started builtin service, or a user-originated callback that waits for its call."""

    id = models.CharField(primary_key=True, max_length=ID_LENGTH, default=new_service_id)
    service_name = models.CharField(max_length=MAX_NAME_LENGTH)
    # The storage area of its user data (apps.storage), which expires with the instance.
    data_id = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    objects = LiveQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.service_name}/{self.id}"


class ResourcePool(models.Model):
    """A row per resource group, locked FOR UPDATE while a number of the group is chosen,
    so that two allocations of the same group never race (the numbers are configuration)."""

    name = models.CharField(max_length=MAX_NAME_LENGTH, unique=True)

    def __str__(self) -> str:
        return self.name


class AccessReservation(models.Model):
    """An access number (and code, '' for none) lent to an instance until ``expires_at``.

    A number reserved without a code is the instance's alone; a number reserved with a
    code can be shared by other reservations with other codes. The unique constraint
    is the last guard; the pool lock is what keeps the first rule.
    """

    pool = models.ForeignKey(ResourcePool, on_delete=models.CASCADE, related_name="reservations")
    instance = models.ForeignKey(
        ServiceInstance, on_delete=models.CASCADE, related_name="reservations"
    )
    access_number = models.CharField(max_length=MAX_NUMBER_LENGTH)
    access_code = models.CharField(max_length=20, blank=True, default="")
    # The caller's ANI given at reservation time (service.md §3.1 ``_phone_number``).
    phone_number = models.CharField(max_length=MAX_NUMBER_LENGTH, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "access_number", "access_code"], name="one_reservation_per_code"
            )
        ]

    def __str__(self) -> str:
        code = f"#{self.access_code}" if self.access_code else ""
        return f"{self.pool.name}:{self.access_number}{code}"
