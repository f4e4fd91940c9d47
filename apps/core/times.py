"""GMS timestamps: ISO-8601 UTC ``yyyy-MM-ddTHH:mm:ss.SSSZ`` out, a little more leniency in.

Local times without a zone (capacity queries, availability ``localTime``) use the
same layout without the ``Z``.
"""

from datetime import UTC, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def parse_utc(text: str) -> datetime:
    """``2024-05-28T15:30:00.000Z`` (milliseconds, ``Z`` or an offset optional) -> aware UTC.

    A time without a zone is taken as UTC, as GMS documents these parameters as UTC.
    Raises ValueError on anything else.
    """
    text = text.strip()
    if (
        len(text) > 6 and text[-6] == " "
    ):  # a '+hh:mm' offset whose '+' a query string turned into ' '
        text = f"{text[:-6]}+{text[-5:]}"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_local(text: str) -> datetime:
    """``2015-03-17T09:15:00.000`` -> a naive local datetime. A zone suffix is refused."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is not None:
        raise ValueError("a local time has no zone")
    return value


def format_utc(value: datetime) -> str:
    return (
        value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    )


def format_local(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}"
