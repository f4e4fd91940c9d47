"""The ``email`` and ``email.{serviceName}`` sections (email.md §2): resolution, defaults, validation.

A service's options are those of ``email.{serviceName}`` over those of the catch-all
``email`` (inheritance is UNCONFIRMED; our choice: inherit option by option).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from apps.core.config import Options, check_int, register_validator
from apps.core.selectors import get_sections
from apps.core.text import is_storable_text
from apps.email.models import MAX_NAME_LENGTH

SECTION = "email"
DEFAULT_MAX_FILES = 10
DEFAULT_MAX_SIZE = "10MB"
DEFAULT_MAX_SIZE_BYTES = 10 * 1024 * 1024
DEFAULT_FILE_TYPES = "pdf,doc,txt,jpg,png,gif,bmp,zip"
# email.md §2, our choice: the virtual queue of our routing core and the interaction's type.
DEFAULT_QUEUE = "email"
DEFAULT_TYPE = "Inbound"
DEFAULT_SUBTYPE = "InboundNew"
# email.md §2, our choice: bytes, KB or MB, 1024-based, case-insensitive.
SIZE = re.compile(r"^\s*(\d{1,15})\s*(KB|MB)?\s*$", re.IGNORECASE)
UNITS = {"": 1, "KB": 1024, "MB": 1024 * 1024}
# email.md §5: letters, digits, '-', '_' and (our choice) '.'.
SERVICE_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,200}$")


@dataclass(frozen=True)
class EmailService:
    """What one email service runs with."""

    name: str
    mailbox: str
    tenant: str
    max_files: int
    max_size: int
    max_size_text: str
    file_types: frozenset[str]
    queue: str
    interaction_type: str
    interaction_subtype: str


def parse_size(text: str) -> int | None:
    """``10MB`` -> 10485760; None when the text is not a size."""
    match = SIZE.match(text)
    if not match:
        return None
    return int(match.group(1)) * UNITS[(match.group(2) or "").upper()]


def file_types(text: str) -> frozenset[str]:
    """``pdf, .DOC`` -> {"pdf", "doc"}: extensions compared case-insensitively."""
    return frozenset(t.strip().lstrip(".").lower() for t in text.split(",") if t.strip())


def _whole(text: str, default: int) -> int:
    """A saved section is validated, but one saved before this app was installed may not be."""
    try:
        return max(0, int(text.strip()))
    except ValueError:
        return default


def resolve(service_name: str) -> EmailService | None:
    """The options of a service, or None when neither its section nor ``email`` exists."""
    if not SERVICE_NAME.match(service_name):
        return None
    specific = f"{SECTION}.{service_name}"
    found = get_sections([SECTION, specific])
    if not found:
        return None
    options = {**found.get(SECTION, {}), **found.get(specific, {})}
    max_size_text = options.get("max_size", "").strip()
    max_size = parse_size(max_size_text)
    if max_size is None:
        max_size_text, max_size = DEFAULT_MAX_SIZE, DEFAULT_MAX_SIZE_BYTES
    return EmailService(
        name=service_name,
        mailbox=options.get("mailbox", "").strip(),
        tenant=options.get("tenant", "").strip(),
        max_files=_whole(options.get("max_files", ""), DEFAULT_MAX_FILES),
        max_size=max_size,
        max_size_text=max_size_text,
        file_types=file_types(options.get("file_types", "").strip() or DEFAULT_FILE_TYPES),
        queue=options.get("queue", "").strip() or DEFAULT_QUEUE,
        interaction_type=options.get("interaction_type", "").strip() or DEFAULT_TYPE,
        interaction_subtype=options.get("interaction_subtype", "").strip() or DEFAULT_SUBTYPE,
    )


@register_validator(SECTION)
def validate_email_section(name: str, options: Options) -> Iterable[tuple[str, str]]:
    """Refuse on save what :func:`resolve` could not use; other options are stored and ignored."""
    yield from check_int(options, "max_files", minimum=0)
    size = options.get("max_size", "").strip()
    if size and parse_size(size) is None:
        yield "max_size", f"must be bytes, <n>KB or <n>MB, not {size!r}"
    if "file_types" in options and not file_types(options["file_types"]):
        yield "file_types", "must list at least one extension, comma separated"
    for option in ("queue", "mailbox", "tenant", "interaction_type", "interaction_subtype"):
        value = options.get(option, "").strip()
        if len(value) > MAX_NAME_LENGTH or not is_storable_text(value):
            yield option, f"holds at most {MAX_NAME_LENGTH} storable characters"
