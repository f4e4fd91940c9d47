"""Callbacks, their append-only state history, and the per-bucket booking locks.

The state field is written only by :func:`apps.callback.machine.transition`.
"""

import uuid

from django.db import models


class State(models.TextChoices):
    SCHEDULED = "SCHEDULED"
    QUEUED = "QUEUED"
    PAUSED = "PAUSED"
    ROUTING = "ROUTING"
    PROCESSING = "PROCESSING"
    COMPLETED = "COMPLETED"


class Reason(models.TextChoices):
    CANCELLED = "CANCELLED"
    CANCELLED_BY_ADMIN = "CANCELLED_BY_ADMIN"
    AGENT_CONNECTED = "AGENT_CONNECTED"
    SUBMIT_FAILED = "SUBMIT_FAILED"
    FAIL_TIMEOUT_TTL = "FAIL_TIMEOUT_TTL"
    FAIL_CALL_TO_CUSTOMER = "FAIL_CALL_TO_CUSTOMER"
    FAIL_ERROR = "FAIL_ERROR"


# Cancelled callbacks free their bucket (capacity.md §4 step 3).
CANCELLATIONS = (Reason.CANCELLED, Reason.CANCELLED_BY_ADMIN)


def new_id() -> str:
    return str(uuid.uuid4())


class Callback(models.Model):
    id = models.CharField(primary_key=True, max_length=36, default=new_id, editable=False)
    service_name = models.CharField(max_length=200, db_index=True)
    customer_number = models.CharField(max_length=100, db_index=True)
    desired_time = models.DateTimeField(db_index=True)
    # desired_time - _request_execution_time_buffer: when the dispatcher submits it.
    due_at = models.DateTimeField(db_index=True)
    state = models.CharField(max_length=16, choices=State.choices)
    reason = models.CharField(max_length=100, blank=True, default="")
    expiration_time = models.DateTimeField(db_index=True)
    user_data = models.JSONField(default=dict)
    # The resolved service options the callback was created with (queue, ttl, buffer ...).
    options = models.JSONField(default=dict)
    claimed_by = models.CharField(max_length=200, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)  # throttling windows
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["state", "due_at"], name="callback_due")]

    def __str__(self) -> str:
        return f"{self.service_name}/{self.id} {self.state}"


class CallbackTransition(models.Model):
    """One state change; never updated nor deleted before its callback is purged."""

    callback = models.ForeignKey(Callback, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, blank=True, default="")
    to_state = models.CharField(max_length=16)
    reason = models.CharField(max_length=100, blank=True, default="")
    at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.from_state or 'new'} -> {self.to_state} {self.reason}".rstrip()


class BucketLock(models.Model):
    """A row per (service, bucket start) locked FOR UPDATE while a booking counts its bucket,
    so two bookings of the last free slot are serialised (capacity.md §4, Concurrency)."""

    service_name = models.CharField(max_length=200)
    bucket_start = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service_name", "bucket_start"], name="callback_bucket")
        ]

    def __str__(self) -> str:
        return f"{self.service_name} {self.bucket_start:%Y-%m-%dT%H:%M}Z"


class AdmissionLock(models.Model):
    """A row per callback service locked FOR UPDATE while a create counts the service's
    queued, duplicate and throttled callbacks (callback.md §5 steps 4-6), so two racing
    requests cannot both take the last place."""

    service_name = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.service_name
