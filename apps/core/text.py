"""What text every database we run on can store."""

from django.http import HttpRequest

from apps.core.errors import BadRequest


def is_storable_text(text: str) -> bool:
    """No NUL (PostgreSQL refuses it in text columns) and no lone surrogate (not UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refuse_unstorable_url(request: HttpRequest) -> None:
    """400 for a path or query parameter no database could store.

    Called by the base views before any handler, so a NUL never reaches a
    PostgreSQL lookup (where it fails as a 500) and each API still shapes the
    error its own way.
    """
    if not is_storable_text(request.path):
        raise BadRequest("The path holds a NUL or an invalid character")
    for key, values in request.GET.lists():
        if not all(is_storable_text(text) for text in (key, *values)):
            raise BadRequest("A query parameter holds a NUL or an invalid character")
