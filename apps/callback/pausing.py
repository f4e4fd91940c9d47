"""Paused callback services (callback.md §4.1 PAUSED, §5 step 3): the paused-services list.

GMS reads a Transaction List object, named by the service option
``_paused_services_list`` (default ``GMS_Paused_Services``), whose options name a
service, a ``_paused_services_id`` value or ``all``, each with the value ``true``
(paused) or ``false`` [TEST: Azhilin/Examples src/test/java/gms/callback/SuspendingCallback.java].
UNCONFIRMED how a server without Genesys configuration objects holds that list. Our
choice: a configuration section of the same name, e.g.::

    [GMS_Paused_Services]
    cb-sales = true
    my-paused-id = false
    all = false

A callback service is paused when the option named after it, after its
``_paused_services_id`` or ``all`` is ``true`` (case-insensitive); an absent list
pauses nothing. The list is read when a callback is queued, so a change applies to
the next dispatch without a restart.
"""

from collections.abc import Iterable

from apps.core.config import SERVICE_PREFIX, Options, as_bool, check_bool, register_validator
from apps.core.selectors import get_sections

DEFAULT_LIST = "GMS_Paused_Services"
ALL = "all"


def paused_services(service_names: Iterable[str]) -> set[str]:
    """Which of these callback services are paused now (two queries)."""
    names = set(service_names)
    services = get_sections(SERVICE_PREFIX + name for name in names)
    options = {name: services.get(SERVICE_PREFIX + name, {}) for name in names}
    list_of = {
        name: opts.get("_paused_services_list", "").strip() or DEFAULT_LIST
        for name, opts in options.items()
    }
    lists = get_sections(set(list_of.values()))
    paused = set()
    for name in names:
        entries = lists.get(list_of[name], {})
        keys = (name, options[name].get("_paused_services_id", "").strip(), ALL)
        if any(key and as_bool(entries.get(key)) for key in keys):
            paused.add(name)
    return paused


@register_validator(DEFAULT_LIST)
def validate_paused_services(name: str, options: Options) -> Iterable[tuple[str, str]]:
    """Every entry of the list is ``true`` or ``false``."""
    for option in options:
        yield from check_bool(options, option)
