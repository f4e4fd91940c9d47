"""Reads: callback services, records (callback.md §2), searches, booked counts, free slots."""

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.db.models import Q, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from apps.callback.errors import NOT_FOUND, RESOURCE, callback_error, service_not_found
from apps.callback.models import CANCELLATIONS, Callback, State
from apps.callback.options import PER_REQUEST_OPTIONS, CallbackOptions
from apps.capacity.grid import CapacityPlan
from apps.capacity.selectors import capacity_plan_of
from apps.capacity.slots import Slot, free_slots
from apps.contactcenter.models import Interaction, InteractionState
from apps.core.config import SECTION_NAME, Options, resolve_options
from apps.core.selectors import get_section, service_sections
from apps.core.times import format_utc
from apps.officehours.rules import OfficeHours
from apps.officehours.selectors import office_hours_of

# How many proposals a slot error carries, and how far ahead they are looked for
# (capacity.md §4 step 6, our choice).
PROPOSALS = 10
ID_LENGTH = 36  # a UUID
PROPOSAL_WINDOW = timedelta(days=7)


def service_options(name: str) -> Options:
    """The configured options of callback service ``name``; 404 when there is none."""
    section = f"service.{name}"
    options = get_section(section) if SECTION_NAME.match(section) else None
    if options is None or options.get("_service", "").strip() != "callback":
        raise service_not_found(name)
    return options


def global_options() -> Options:
    """The GMS ``[callback]`` section (callback.md §6.4)."""
    return get_section("callback") or {}


def callback_services() -> dict[str, Options]:
    """Every callback service's configured options, by name."""
    return service_sections("callback")


def _referenced(name: str, kind: str, option: str) -> Options:
    options = get_section(f"service.{name}")
    if options is None or options.get("_service", "").strip() != kind:
        # Our choice (callback.md §3.6): a missing referenced service is a 400 Resource error.
        raise callback_error(
            f"Service {name} named by {option} is not configured", exception=RESOURCE
        )
    return options


def office_hours_for(options: CallbackOptions) -> OfficeHours | None:
    """None = no business-hours service = always open (calendar.md §3, our choice)."""
    if not options.business_hours_service:
        return None
    return office_hours_of(
        _referenced(options.business_hours_service, "office-hours", "_business_hours_service")
    )


def capacity_for(options: CallbackOptions) -> CapacityPlan | None:
    """None = ``_max_request_by_time_bucket`` limits each bucket (capacity.md §4)."""
    if not options.capacity_service:
        return None
    return capacity_plan_of(_referenced(options.capacity_service, "capacity", "_capacity_service"))


def booked(
    service_name: str, start: datetime, end: datetime, *, exclude_id: str | None = None
) -> dict[datetime, int]:
    """Callbacks of the service desired in [start, end), not cancelled, counted by desired time.

    ``free_slots`` and ``slot_problem`` count each time into its bucket.
    """
    rows = Callback.objects.filter(
        service_name=service_name, desired_time__gte=start, desired_time__lt=end
    ).exclude(reason__in=CANCELLATIONS)
    if exclude_id is not None:
        rows = rows.exclude(pk=exclude_id)
    return dict(Counter(rows.values_list("desired_time", flat=True)))


def slots(
    options: CallbackOptions,
    *,
    start: datetime,
    end: datetime,
    report_busy: bool = False,
    limit: int | None = None,
) -> list[Slot]:
    """The service's slots in [start, end): the same arithmetic booking uses."""
    return free_slots(
        start=start,
        end=end,
        bucket_minutes=options.bucket_minutes,
        office_hours=office_hours_for(options),
        capacity=capacity_for(options),
        max_per_bucket=options.max_per_bucket,
        booked=booked(options.name, start - timedelta(minutes=options.bucket_minutes), end),
        report_busy=report_busy,
        limit=limit,
    )


def proposals(options: CallbackOptions, start: datetime) -> dict[str, int]:
    """The ``availability`` of a slot error: the first free slots from ``start``."""
    found = slots(options, start=start, end=start + PROPOSAL_WINDOW, limit=PROPOSALS)
    return {format_utc(slot.start): slot.capacity for slot in found}


def record(callback: Callback, base_url: str) -> dict[str, str]:
    """The record of callback.md §2: every value a string, ``_url`` and ``url`` both."""
    url = f"{base_url}/genesys/1/service/{callback.pk}"
    data = {
        **callback.user_data,
        "_id": callback.pk,
        "_service_name": callback.service_name,
        "_customer_number": callback.customer_number,
        "_desired_time": format_utc(callback.desired_time),
        "_callback_state": callback.state,
        "_expiration_time": format_utc(callback.expiration_time),
        "_urs_virtual_queue": callback.options.get("_urs_virtual_queue", ""),
        "_ors_session_id": "",
        "_url": url,
        "url": url,
    }
    if callback.reason:
        data["_callback_reason"] = callback.reason
    return data


def _user_value(key: str) -> Cast:
    """User-data key ``key`` as text, to filter on (taken literally: no ``__`` lookups)."""
    return Cast(KeyTextTransform(key, "user_data"), TextField())


def live(now: datetime) -> Q:
    """Records not yet purged (callback.md §7): expired ones answer as if gone."""
    return Q(expiration_time__gt=now)


def get_callback(
    callback_id: str, *, now: datetime, service_name: str | None = None, lock: bool = False
) -> Callback:
    """One live callback; 404 CallbackExceptionNotFound otherwise (our choice, §3.2/§3.3).

    ``lock`` takes its row lock (inside the caller's transaction).
    """
    if len(callback_id) > ID_LENGTH or "\x00" in callback_id:
        raise callback_error(
            f"Callback {callback_id[:ID_LENGTH]} not found", status=404, exception=NOT_FOUND
        )
    rows = Callback.objects.filter(live(now), pk=callback_id)
    if lock:
        rows = rows.select_for_update()
    if service_name is not None:
        rows = rows.filter(service_name=service_name)
    callback = rows.first()
    if callback is None:
        raise callback_error(f"Callback {callback_id} not found", status=404, exception=NOT_FOUND)
    return callback


def search(
    *,
    service_names: Iterable[str] | None,
    filters: Iterable[tuple[str, str, bool]],
    operand: str,
    now: datetime,
) -> list[Callback]:
    """Callbacks matching ``(key, value, negated)`` filters joined by AND or OR (§3.5).

    ``_id``, ``_customer_number`` and ``_callback_state`` are columns; any other lookup
    key is a user-data key.
    """
    columns = {"_id": "pk", "_customer_number": "customer_number", "_callback_state": "state"}
    rows = Callback.objects.filter(live(now))
    joined: Q | None = None
    for n, (key, value, negated) in enumerate(filters):
        column = columns.get(key)
        if column is None:  # a user key, taken literally (no "__" lookups)
            column = f"user_key_{n}"
            rows = rows.alias(**{column: _user_value(key)})
        condition = Q(**{column: value})
        if negated:
            condition = ~condition
        if joined is None:
            joined = condition
        else:
            joined = joined | condition if operand == "OR" else joined & condition
    if service_names is not None:
        rows = rows.filter(service_name__in=list(service_names))
    if joined is not None:
        rows = rows.filter(joined)
    return list(rows.order_by("desired_time", "created_at"))


def count_in_states(service_name: str, states: Iterable[str], **filters: object) -> int:
    return Callback.objects.filter(
        service_name=service_name, state__in=list(states), **filters
    ).count()


def created_since(
    service_name: str, since: datetime, *, key: str | None = None, value: str = ""
) -> int:
    """Callbacks the service created since ``since`` (with ``key`` = ``value``): throttling."""
    rows = Callback.objects.filter(service_name=service_name, created_at__gte=since)
    if key == "_customer_number":
        rows = rows.filter(customer_number=value)
    elif key is not None:
        rows = rows.alias(throttled=_user_value(key)).filter(throttled=value)
    return rows.count()


def searchable_keys(service_options_by_name: Mapping[str, Options]) -> set[str]:
    """Keys a property query may filter on: lookup keys, ``_callback_state`` and ``_id``."""
    keys = {"_id", "_callback_state", "_customer_number"}
    for name, options in service_options_by_name.items():
        keys.update(CallbackOptions.read(name, options, {}).lookup_keys)
    return keys


def request_options(
    service_name: str, params: Mapping[str, object]
) -> tuple[CallbackOptions, frozenset[str]]:
    """The options one request runs with, and the parameters that filled a ``$token$``.

    ``_overwritable_options`` and ``$token$`` apply (service.md §1.1). The request's
    ``_urs_virtual_queue`` and ``_call_direction`` override the configured ones
    (callback.md §3.1 lists them as request parameters defaulting to the configuration).
    """
    resolved = resolve_options(service_options(service_name), params)
    options = dict(resolved.options)
    for key in PER_REQUEST_OPTIONS:
        value = params.get(key)
        if isinstance(value, str) and value.strip():
            options[key] = value
    return CallbackOptions.read(service_name, options, global_options()), resolved.token_params


def dial_attempts(callback: Callback) -> int:
    """Dials made for a callback: its contact-center interactions an agent completed."""
    return Interaction.objects.filter(
        source="callback", source_id=callback.pk, state=InteractionState.COMPLETED
    ).count()


def watermarks(service_names: Iterable[str]) -> dict[str, int]:
    """Callbacks now QUEUED, ROUTING or PROCESSING per service (§3.9; ROUTING our choice)."""
    names = list(service_names)
    counts = Counter(
        Callback.objects.filter(
            service_name__in=names, state__in=(State.QUEUED, State.ROUTING, State.PROCESSING)
        ).values_list("service_name", flat=True)
    )
    return {name: counts.get(name, 0) for name in names}


# Columns behind the filter keys of the admin queue query; other keys are user-data keys.
FILTER_COLUMNS = {"_callback_state": "state", "_callback_reason": "reason"}
DEFAULT_FILTER_KEYS = (
    "_callback_state,_callback_reason,_request_queue_time_stat,_request_ewt_service,_vq"
)


def filter_keys() -> tuple[str, ...]:
    """``[callback] filter-keys`` (§6.4)."""
    text = global_options().get("filter-keys", "") or DEFAULT_FILTER_KEYS
    return tuple(key.strip() for key in text.split(",") if key.strip())


def by_queues(
    *,
    service_names: Iterable[str],
    start: datetime,
    end: datetime,
    states: Iterable[str] | None,
    filters: Mapping[str, str],
    limit: int | None,
    now: datetime,
) -> dict[str, list[Callback]]:
    """The admin queue query (§3.8): per service, callbacks desired in [start, end]."""
    rows = Callback.objects.filter(live(now), desired_time__gte=start, desired_time__lte=end)
    if states is not None:
        rows = rows.filter(state__in=list(states))
    for n, (key, value) in enumerate(filters.items()):
        column = FILTER_COLUMNS.get(key)
        if column is None:
            column = f"filter_key_{n}"
            rows = rows.alias(**{column: _user_value(key)})
        rows = rows.filter(**{column: value})
    found: dict[str, list[Callback]] = {}
    for name in service_names:
        service_rows = rows.filter(service_name=name).order_by("desired_time", "created_at")
        found[name] = list(service_rows if limit is None else service_rows[:limit])
    return found


def completed_with(reason: str, *, now: datetime) -> list[Callback]:
    """Live callbacks COMPLETED with ``reason`` (the cancelled-callbacks export, §3.9)."""
    return list(
        Callback.objects.filter(live(now), state=State.COMPLETED, reason=reason).order_by(
            "updated_at", "pk"
        )
    )


def services_with(state: str) -> set[str]:
    """The services that have callbacks in ``state``: the few whose pause to look up."""
    return set(
        Callback.objects.filter(state=state).values_list("service_name", flat=True).distinct()
    )
