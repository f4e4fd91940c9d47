"""Open media errors: the Digital Channels envelope with the codes of openmedia.md §5
(apps.core.errors renders a GMSError's ``code``; a 503 carries statusCode 1)."""

from apps.core.errors import GMSError

UNAVAILABLE = 100
SERVICE_NOT_FOUND = 101
INVALID_VALUE = 103
INTERACTION_NOT_FOUND = 107
INTERACTION_STOPPED = 108


def service_not_found(service_name: str) -> GMSError:
    return GMSError(
        f"Service '{service_name}' is not configured", status=404, code=SERVICE_NOT_FOUND
    )


def interaction_not_found(interaction_id: str) -> GMSError:
    return GMSError(
        f"Interaction {interaction_id} not found", status=404, code=INTERACTION_NOT_FOUND
    )


def invalid_value(name: str) -> GMSError:
    return GMSError(f"Invalid value for '{name}'", status=400, code=INVALID_VALUE)


def interaction_stopped() -> GMSError:
    return GMSError("Interaction is stopped", status=400, code=INTERACTION_STOPPED)


def unavailable() -> GMSError:
    return GMSError("Open media service temporarily unavailable", status=503, code=UNAVAILABLE)
