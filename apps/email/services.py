"""Writes of the Email API: check one posted email (email.md §3.2), store it, queue it."""

import json
import mimetypes
import os
import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone

from apps.contactcenter import services as contactcenter
from apps.contactcenter.models import Media
from apps.core.errors import GMSError
from apps.core.text import is_storable_text
from apps.email import errors
from apps.email.models import MAX_NAME_LENGTH, MAX_SUBJECT_LENGTH, SOURCE, Attachment, Email
from apps.email.options import EmailService, resolve

REQUIRED = ("firstName", "lastName", "fromAddress", "subject", "text")
LIMITS = {"subject": MAX_SUBJECT_LENGTH, "text": None}
# email.md §3.1, our choice: one '@', a non-empty local part, a domain with a dot.
ADDRESS = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
USER_DATA_KEY = re.compile(r"^userData\[(?P<key>.*)\]$", re.DOTALL)
FALLBACK_TYPE = "application/octet-stream"

Field = tuple[str, object]


def receive(
    *,
    service_name: str,
    fields: Iterable[Field],
    files: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> Email:
    """One email from a web form, queued to the service's virtual queue; refused whole otherwise.

    ``fields`` are the body's (name, value) pairs in order (a repeated name: the last
    value wins); ``files`` the ``files`` parts of a multipart body. Checks run in the
    order of email.md §3.2 and the first failure is raised as a GMSError with its §6 code.
    """
    service = resolve(service_name)
    if service is None:
        raise errors.unknown_service(service_name)
    values, user_data = _split(fields)
    text = {name: _required(values, name) for name in REQUIRED}
    mailbox = _optional(values, "mailbox") or service.mailbox
    for name, address in (("fromAddress", text["fromAddress"]), ("mailbox", mailbox)):
        if address and not ADDRESS.match(address):
            raise errors.invalid(name)
    attachments = _attachments(service, files)
    try:
        with transaction.atomic():
            email = Email.objects.create(
                service_name=service.name,
                tenant=service.tenant,
                mailbox=mailbox,
                first_name=text["firstName"],
                last_name=text["lastName"],
                from_address=text["fromAddress"],
                subject=text["subject"],
                text=text["text"],
                user_data=user_data,
                interaction_type=service.interaction_type,
                interaction_subtype=service.interaction_subtype,
                received_at=now or timezone.now(),
            )
            for attachment in attachments:
                attachment.email = email
            Attachment.objects.bulk_create(attachments)
            contactcenter.enqueue(
                media=Media.EMAIL,
                queue_name=service.queue,
                user_data=interaction_user_data(email),
                source=SOURCE,
                source_id=email.pk,
                now=email.received_at,
            )
    except DatabaseError as error:
        raise errors.unavailable() from error
    return email


def interaction_user_data(email: Email) -> dict[str, str]:
    """The customer's userData plus what a desk lists before opening the email.

    The added key names follow Genesys E-mail Server's attached data (UNCONFIRMED for
    GMS; our choice); they win over a customer key of the same name.
    """
    return {
        **email.user_data,
        "FromAddress": email.from_address,
        "FromPersonal": f"{email.first_name} {email.last_name}",
        "Subject": email.subject,
        "Mailbox": email.mailbox,
    }


def _split(fields: Iterable[Field]) -> tuple[dict[str, object], dict[str, str]]:
    """The plain fields and the userData pairs, in the three forms of email.md §3.1 and §5:
    ``userData[key]=value``, ``userData=key=value`` and a JSON object (in a form field or
    as ``userData`` of a JSON body). A repeated key keeps its last value."""
    values: dict[str, object] = {}
    user_data: dict[str, object] = {}
    for name, value in fields:
        bracket = USER_DATA_KEY.match(name)
        if bracket:
            user_data[bracket.group("key").strip().strip("\"'")] = value
        elif name == "userData":
            user_data.update(_user_data_field(value))
        else:
            values[name] = value
    return values, _flat_user_data(user_data)


def _user_data_field(value: object) -> dict[str, object]:
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        raise errors.invalid("userData")
    if not value.strip():
        return {}
    if value.lstrip().startswith("{"):
        try:
            decoded = json.loads(value)
        except (ValueError, RecursionError) as error:
            raise errors.invalid("userData") from error
        if not isinstance(decoded, dict):
            raise errors.invalid("userData")
        return decoded
    key, equals, inner = value.partition("=")
    if not equals:
        raise errors.invalid("userData")
    return {key: inner}


def _flat_user_data(pairs: dict[str, object]) -> dict[str, str]:
    """A flat map of text (email.md §3.3): numbers and booleans of JSON become text."""
    flat: dict[str, str] = {}
    for key, value in pairs.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, int | float) and value == value and abs(value) != float("inf"):
            value = str(value)
        if not (isinstance(value, str) and key and is_storable_text(key + value)):
            raise errors.invalid("userData")
        if len(key) > MAX_NAME_LENGTH:
            raise errors.invalid("userData")
        flat[key] = value
    return flat


def _required(values: dict[str, object], name: str) -> str:
    value = values.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise errors.missing(name)
    return _checked(name, value)


def _optional(values: dict[str, object], name: str) -> str:
    value = values.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    return _checked(name, value)


def _checked(name: str, value: object) -> str:
    """Text a database stores and a column holds; anything else is invalid (103)."""
    limit = LIMITS.get(name, MAX_NAME_LENGTH)
    if not isinstance(value, str) or not is_storable_text(value):
        raise errors.invalid(name)
    if limit is not None and len(value) > limit:
        raise errors.invalid(name)
    return value.strip() if name in ("fromAddress", "mailbox") else value


def _attachments(service: EmailService, files: Sequence[UploadedFile]) -> list[Attachment]:
    """The uploaded files as unsaved Attachments, within the service's limits (§2, §3.2 step 3).

    An extension is compared case-insensitively; a name without one is refused (our choice).
    Sizes are summed before any file is read, so a refused upload is never loaded in memory.
    """
    if len(files) > service.max_files:
        raise GMSError(
            f"Too many files: {len(files)} > {service.max_files}", code=errors.TOO_MANY_FILES
        )
    names = []
    for upload in files:
        name = os.path.basename((upload.name or "").replace("\\", "/"))
        if not name or len(name) > MAX_NAME_LENGTH or not is_storable_text(name):
            raise errors.invalid("files")
        stem, dot, extension = name.rpartition(".")
        extension = extension.lower() if dot and stem else ""
        if extension not in service.file_types:
            raise GMSError(f"File type '{extension}' is not allowed", code=errors.FILE_TYPE)
        names.append(name)
    if sum(upload.size or 0 for upload in files) > service.max_size:
        raise GMSError(f"Content size exceeds {service.max_size_text}", code=errors.TOO_LARGE)
    return [
        Attachment(
            name=name,
            content_type=_content_type(upload, name),
            size=upload.size or 0,
            content=upload.read(),
        )
        for name, upload in zip(names, files, strict=True)
    ]


def _content_type(upload: UploadedFile, name: str) -> str:
    """The part's own type when it is a plausible one, else a guess from the name."""
    sent = (upload.content_type or "").strip()
    if sent and len(sent) <= MAX_NAME_LENGTH and is_storable_text(sent) and "/" in sent:
        return sent
    return mimetypes.guess_type(name)[0] or FALLBACK_TYPE
