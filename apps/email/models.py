"""Inbound emails posted through the Email API v2 (email.md §3.3) and their attachments.

Attachments are stored in the database (a BinaryField), not on disk: the total is
bounded by ``max_size`` (10MB by default), the email and its files commit in one
transaction, and every node of a cluster reads them with no shared file system.
"""

import secrets
import string

from django.db import models

# The contact center's interaction of an email names it by source "email" and the email's id.
SOURCE = "email"
ID_ALPHABET = string.digits + string.ascii_letters
ID_LENGTH = 16
MAX_NAME_LENGTH = 255
MAX_SUBJECT_LENGTH = 998  # RFC 5322's longest header line


def new_email_id() -> str:
    """An opaque 16-character [0-9A-Za-z] id, shaped like Genesys interaction ids."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


class Email(models.Model):
    id = models.CharField(primary_key=True, max_length=ID_LENGTH, default=new_email_id)
    service_name = models.CharField(max_length=MAX_NAME_LENGTH)
    tenant = models.CharField(max_length=MAX_NAME_LENGTH, blank=True, default="")
    mailbox = models.CharField(max_length=MAX_NAME_LENGTH, blank=True, default="")
    first_name = models.CharField(max_length=MAX_NAME_LENGTH)
    last_name = models.CharField(max_length=MAX_NAME_LENGTH)
    from_address = models.CharField(max_length=MAX_NAME_LENGTH)
    subject = models.CharField(max_length=MAX_SUBJECT_LENGTH)
    text = models.TextField()
    user_data = models.JSONField(default=dict, blank=True)
    interaction_type = models.CharField(max_length=MAX_NAME_LENGTH)
    interaction_subtype = models.CharField(max_length=MAX_NAME_LENGTH)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"


class Attachment(models.Model):
    email = models.ForeignKey(Email, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=MAX_NAME_LENGTH)
    content_type = models.CharField(max_length=MAX_NAME_LENGTH)
    size = models.PositiveBigIntegerField()
    content = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
