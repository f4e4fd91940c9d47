"""Who hears that match-interaction matched an instance (service.md §3.3), by the kind of
the instance's service, without this app knowing the listening app.

A user-originated callback is an instance of its callback service (``_service=callback``)
with an access number reserved for it; when the customer dials that number and the
IVR asks match-interaction who is calling, the callback app must put the call in front
of an agent. The callback app registers a listener for the kind ``callback`` in its
AppConfig.ready(), as apps register their handlers by kind in :mod:`apps.services.registry`.

A listener runs inside the match's transaction, before the reservation is released (and
before ``_delete_service`` deletes the instance): what it writes commits with the match,
and a listener that raises fails the match, which the IVR may then ask again. The kind is
read from the service's configuration at match time (one query for every match).
"""

from collections.abc import Callable, Iterable
from datetime import datetime

from apps.core.config import SERVICE_PREFIX
from apps.core.selectors import get_sections
from apps.services.models import ServiceInstance
from apps.services.registry import kind_of

# listener(service_id, now)
Listener = Callable[[str, datetime], None]

_listeners: dict[str, list[Listener]] = {}


def register(kind: str, listener: Listener) -> None:
    """Call ``listener(service_id, now)`` when an instance of a ``kind`` service is matched;
    registering the same listener twice is a no-op."""
    listeners = _listeners.setdefault(kind, [])
    if listener not in listeners:
        listeners.append(listener)


def matched(instances: Iterable[ServiceInstance], now: datetime) -> None:
    """Tell the listeners of each instance's kind that it was matched, oldest match first."""
    instances = list(instances)
    if not instances or not _listeners:
        return
    sections = get_sections({SERVICE_PREFIX + instance.service_name for instance in instances})
    for instance in instances:
        options = sections.get(SERVICE_PREFIX + instance.service_name)
        if options is None:  # its service is no longer configured: nobody to tell
            continue
        for listener in _listeners.get(kind_of(options), ()):
            listener(instance.pk, now)
