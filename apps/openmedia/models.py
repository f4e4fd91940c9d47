"""An open media interaction (openmedia.md §2): what a client created, as GMS reports it.

The work itself waits and is handled in the contact center (an interaction of media
``openmedia`` whose source is ``openmedia`` and source id :attr:`interaction_id`); this
row keeps what the Open Media API adds: the public id, the types, the client's user data
as it stands after updates, and the client's stop.
"""

import secrets
import string

from django.db import models
from django.utils import timezone

MAX_TEXT_LENGTH = 255
ID_LENGTH = 16
BASE62 = string.digits + string.ascii_letters


def new_interaction_id() -> str:
    """16 random base62 characters: unguessable, since get/update/stop need no credentials."""
    return "".join(secrets.choice(BASE62) for _ in range(ID_LENGTH))


class OpenMediaInteraction(models.Model):
    """One open media interaction. Its ``pk`` is the submit sequence number (§2 ``submitSeq``)."""

    interaction_id = models.CharField(
        max_length=ID_LENGTH, unique=True, default=new_interaction_id, editable=False
    )
    service_name = models.CharField(max_length=MAX_TEXT_LENGTH)
    external_id = models.CharField(
        max_length=MAX_TEXT_LENGTH, blank=True, default="", db_index=True
    )
    interaction_type = models.CharField(max_length=MAX_TEXT_LENGTH, blank=True, default="")
    interaction_subtype = models.CharField(max_length=MAX_TEXT_LENGTH, blank=True, default="")
    media_type = models.CharField(max_length=MAX_TEXT_LENGTH, blank=True, default="")
    queue = models.CharField(max_length=MAX_TEXT_LENGTH)
    tenant = models.CharField(max_length=MAX_TEXT_LENGTH, blank=True, default="")
    user_data = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=MAX_TEXT_LENGTH, blank=True, default="")

    class Meta:
        ordering = ["id"]
        verbose_name = "open media interaction"

    def __str__(self) -> str:
        return f"{self.service_name} {self.interaction_id}"
