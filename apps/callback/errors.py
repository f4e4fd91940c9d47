"""The callback error body (callback.md §3.1): ``{code, phrase, exception, message}``,
plus ``availability`` on slot errors."""

from http import HTTPStatus

from apps.core.errors import GMSError

PREFIX = "com.genesyslab.gsg.services.callback.exceptions."
CALLBACK = PREFIX + "CallbackException"
AVAILABILITY = PREFIX + "CallbackExceptionAvailability"
NOT_FOUND = PREFIX + "CallbackExceptionNotFound"
UNAVAILABLE = PREFIX + "CallbackExceptionServiceUnavailable"
RESOURCE = PREFIX + "CallbackExceptionResource"


def envelope(status: int) -> dict[str, object]:
    """The keys the Genesys iOS decoder needs beside ``message`` and ``exception``."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return {"code": status, "phrase": phrase}


def callback_error(
    message: str,
    *,
    status: int = 400,
    exception: str = CALLBACK,
    availability: dict[str, int] | None = None,
) -> GMSError:
    extra = envelope(status)
    if availability is not None:
        extra["availability"] = availability
    return GMSError(message, status=status, exception=exception, extra=extra)


def service_not_found(name: str) -> GMSError:
    """Our choice (callback.md §3.1): 404 with this message."""
    return callback_error(f"Service {name} not found", status=404, exception=NOT_FOUND)
