"""The Email API's errors: the Digital Channels envelope with the codes of email.md §6.

The codes 100-106 are our choice (UNCONFIRMED against GMS), shared with openmedia.md.
"""

from apps.core.errors import GMSError

UNAVAILABLE = 100
UNKNOWN_SERVICE = 101
MISSING = 102
INVALID = 103
TOO_MANY_FILES = 104
FILE_TYPE = 105
TOO_LARGE = 106


def unknown_service(name: str) -> GMSError:
    return GMSError(f"Service '{name}' is not configured", code=UNKNOWN_SERVICE, status=404)


def missing(parameter: str) -> GMSError:
    return GMSError(f"Parameter '{parameter}' is missing", code=MISSING)


def invalid(parameter: str) -> GMSError:
    return GMSError(f"Parameter '{parameter}' is invalid", code=INVALID)


def unavailable() -> GMSError:
    return GMSError("Email service temporarily unavailable", code=UNAVAILABLE, status=503)
