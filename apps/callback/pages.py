"""The callbacks admin page, /manage/callbacks/: find callbacks, cancel or reschedule one.

Writes go through the services the API uses: a cancel is the admin bulk cancel of one
id (COMPLETED/CANCELLED_BY_ADMIN), a reschedule is a PUT with ``_new_desired_time``
under the service's current options, so a full slot or a closed office is refused
with the same GMS message, shown on the page with the free slots it proposes.

Every time is UTC: shown as GMS timestamps, and typed into ``datetime-local`` fields
that are read as UTC whatever the browser's zone (the page says so). Filters are a
GET form; the actions are POST forms to the same address, so a refused action renders
the same list and a successful one redirects back to it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.callback import page_selectors, selectors, services
from apps.callback.models import Callback, Reason, State
from apps.core.config import SECTION_NAME, SERVICE_PREFIX
from apps.core.errors import GMSError
from apps.core.times import format_utc, now, parse_utc

PAGE_SIZE = 50
# Free slots shown under a refused reschedule (the error proposes up to ten).
SHOWN_PROPOSALS = 5
MAX_TIME_LENGTH = 40
# The value layout of <input type="datetime-local" step="1">.
INPUT_FORMAT = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True)
class Filters:
    service: str
    state: str
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class Refusal:
    """An action the services refused: the callback, its message, what the admin typed."""

    callback_id: str
    message: str
    entered: str = ""
    proposals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    callback: Callback
    desired: str
    created: str
    live: bool
    new_time: str
    refused: bool


def input_time(text: str) -> datetime:
    """A ``datetime-local`` value read as UTC; ValueError when it is none."""
    text = text.strip()
    if not text or len(text) > MAX_TIME_LENGTH:
        raise ValueError(text)
    try:
        return parse_utc(text)
    except OverflowError:
        raise ValueError(text) from None


def input_value(value: datetime | None) -> str:
    return value.strftime(INPUT_FORMAT) if value is not None else ""


def read_filters(query: QueryDict) -> tuple[Filters, list[str]]:
    """The list's filters, and a problem per unreadable one (that filter is then unset)."""
    problems = []
    state = query.get("state", "").strip().upper()
    if state and state not in State.values:
        problems.append(f"Unknown state {state[:20]!r}.")
        state = ""
    times: dict[str, datetime | None] = {}
    for key, label in (("from", "From"), ("to", "To")):
        text = query.get(key, "")
        times[key] = None
        if text.strip():
            try:
                times[key] = input_time(text)
            except ValueError:
                problems.append(f"{label} is not a date and time.")
    if times["from"] and times["to"] and times["from"] > times["to"]:
        problems.append("From is after To.")
    service = query.get("service", "").strip()
    if service and not SECTION_NAME.fullmatch(SERVICE_PREFIX + service):
        problems.append(f"{service[:40]!r} cannot be a service name.")
        service = ""
    return Filters(service=service, state=state, start=times["from"], end=times["to"]), problems


def cancel(callback_id: str) -> Refusal | str:
    """Cancel one callback; a success message, or why not."""
    if services.admin_cancel(
        callback_ids=[callback_id], reason=Reason.CANCELLED_BY_ADMIN, now=now()
    ).get(callback_id):
        return f"Cancelled callback {callback_id}."
    return Refusal(callback_id, f"Callback {callback_id} was not cancelled: it is no longer live.")


def reschedule(callback_id: str, entered: str) -> Refusal | str:
    """Move one callback to the entered UTC time; a success message, or why not."""
    try:
        new_time = input_time(entered)
    except ValueError:
        return Refusal(callback_id, "Enter the new desired time (UTC).", entered)
    moment = now()
    try:
        callback = selectors.get_callback(callback_id, now=moment)
        options, _ = selectors.request_options(callback.service_name, {})
        services.reschedule_callback(
            options=options,
            callback_id=callback_id,
            params={"_new_desired_time": format_utc(new_time)},
            now=moment,
        )
    except GMSError as error:
        availability = error.extra.get("availability") or {}
        return Refusal(
            callback_id,
            f"Callback {callback_id} was not rescheduled: {error.message}",
            entered,
            tuple(f"{slot} ({free} free)" for slot, free in availability.items())[:SHOWN_PROPOSALS],
        )
    return f"Rescheduled callback {callback_id} to {format_utc(new_time)}."


def act(post: QueryDict) -> Refusal | str:
    """Run the posted action on the posted callback."""
    callback_id = post.get("callback", "").strip()
    action = post.get("action", "")
    if action == "cancel":
        return cancel(callback_id)
    if action == "reschedule":
        return reschedule(callback_id, post.get("desired_time", ""))
    return Refusal(callback_id, "Choose cancel or reschedule.")


def rows(callbacks: list[Callback], refusal: Refusal | None) -> list[Row]:
    """The table's rows; a refused reschedule keeps the time the admin typed."""
    return [
        Row(
            callback=callback,
            desired=format_utc(callback.desired_time),
            created=format_utc(callback.created_at),
            live=callback.state in services.ADMIN_CANCELLABLE,
            new_time=refusal.entered
            if refusal and refusal.callback_id == callback.pk and refusal.entered
            else input_value(callback.desired_time),
            refused=bool(refusal and refusal.callback_id == callback.pk),
        )
        for callback in callbacks
    ]


@staff_member_required
@require_http_methods(["GET", "POST"])
def callbacks_page(request: HttpRequest) -> HttpResponse:
    refusal = None
    if request.method == "POST":
        outcome = act(request.POST)
        if isinstance(outcome, str):
            messages.success(request, outcome)
            return redirect(request.get_full_path())
        refusal = outcome
    filters, problems = read_filters(request.GET)
    configured = sorted(selectors.callback_services())
    found = page_selectors.listed(
        service_names=[filters.service] if filters.service else None,
        states=[filters.state] if filters.state else None,
        start=filters.start,
        end=filters.end,
        now=now(),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "problems": problems,
        "refusal": refusal,
        "services": configured
        if not filters.service or filters.service in configured
        else [*configured, filters.service],
        "states": State.values,
        "start": input_value(filters.start),
        "end": input_value(filters.end),
        "page": page,
        "rows": rows(list(page.object_list), refusal),
    }
    return render(request, "callback/callbacks.html", context)
