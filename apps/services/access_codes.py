"""Access codes (service.md §3.1): random digits after ``[server] access_code_prefix``.

GMS passes a malformed prefix through as a Java exception with 500 (the Genesys
cluster tests assert both cases); so do we, since only the server's configuration
can cause it. Plain Python, no Django.
"""

import re
import secrets

from apps.core.errors import GMSError

DEFAULT_LENGTH = 6
MAX_LENGTH = 18
PREFIX_RANGE = re.compile(r"^([0-9])-([0-9])$")
JAVA_INT_MAX = 2**31 - 1


def _java_error(exception: str, message: str) -> GMSError:
    return GMSError(message, status=500, exception=exception)


def prefix_starts(prefix: str) -> list[str]:
    """The digits a new code may start with: ``['']`` for no prefix, the prefix itself, or
    each digit of a range such as ``7-9``.

    GMS reads the prefix as a Java int: anything else (letters, a sign, ten digits) fails
    as ``Integer.parseInt`` does, with the prefix quoted.
    """
    text = prefix.strip()
    span = PREFIX_RANGE.match(text)
    if span:
        low, high = sorted((int(span.group(1)), int(span.group(2))))
        return [str(digit) for digit in range(low, high + 1)]
    if text and (not (text.isascii() and text.isdigit()) or int(text) > JAVA_INT_MAX):
        raise _java_error("java.lang.NumberFormatException", f'For input string: "{text}"')
    return [text]


# Up to 10,000 codes per prefix digit: few enough to list the free ones when random draws
# keep hitting taken codes (a nearly full prefix), rather than calling the pool full.
LISTABLE_DIGITS = 4


def every_access_code(*, length: int, prefix: str) -> list[str] | None:
    """Every code the prefix allows, or None when there are too many to list."""
    starts = prefix_starts(prefix)
    free = length - len(starts[0])
    if free <= 0 or free > LISTABLE_DIGITS:
        return None
    return [start + str(n).zfill(free) for start in starts for n in range(10**free)]


def new_access_code(*, length: int, prefix: str) -> str:
    """A ``length``-digit code starting with the prefix; 500 when the prefix leaves no room
    (GMS: ``Random.nextInt`` refuses a bound of 0, "n must be positive")."""
    start = secrets.choice(prefix_starts(prefix))
    free = length - len(start)
    if free <= 0:
        raise _java_error("java.lang.IllegalArgumentException", "n must be positive")
    return start + "".join(str(secrets.randbelow(10)) for _ in range(free))
