"""The /manage/ pages' index: office-hours and capacity services, and creating one by name.

Also the few helpers both editor pages share: which section a page edits, and how an
edit is saved or its refusal shown.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.capacity import editor as capacity_editor
from apps.core.config import SECTION_NAME, SERVICE_PREFIX, ConfigError, Options
from apps.core.selectors import get_section, service_sections
from apps.core.services import save_section
from apps.officehours import editor as office_hours_editor
from apps.officehours.rules import DEFAULT_TIMEZONE

# The editor page of each kind of service these pages manage, by ``_service``.
EDITOR_PAGES = {"office-hours": "office-hours-page", "capacity": "capacity-page"}
KIND_LABELS = {"office-hours": "Office hours", "capacity": "Capacity"}
# The option by which a callback service names a service of each kind (capacity.md §4).
CALLBACK_REFERENCES = {"office-hours": "_business_hours_service", "capacity": "_capacity_service"}


@dataclass(frozen=True)
class ServiceLine:
    name: str
    timezone: str
    summary: str
    used_by: list[str]


def service_lines(
    kind: str,
    services: dict[str, Options],
    callbacks: dict[str, Options],
    summary: Callable[[Options], str],
) -> list[ServiceLine]:
    """One line per service, with the callback services that use it: an edit reaches them."""
    option = CALLBACK_REFERENCES[kind]
    return [
        ServiceLine(
            name=name,
            timezone=options.get("_timezone", "").strip() or DEFAULT_TIMEZONE,
            summary=summary(options),
            used_by=[
                callback
                for callback, callback_options in callbacks.items()
                if callback_options.get(option, "").strip() == name
            ],
        )
        for name, options in services.items()
    ]


def is_service_name(name: str) -> bool:
    """Whether ``service.<name>`` can be a section with a working editor address: the
    section-name rules, and not only dots (a browser reads ``..`` as a parent folder)."""
    return bool(name and SECTION_NAME.fullmatch(SERVICE_PREFIX + name)) and set(name) != {"."}


def new_service_problem(name: str, kind: str, *, taken: bool) -> str:
    """Why ``name`` cannot be a new service of ``kind`` ('' when it can)."""
    if kind not in EDITOR_PAGES:
        return "Choose office hours or capacity."
    if not name:
        return "Give the service a name."
    if not is_service_name(name):
        return (
            "A name uses letters, digits, '_', '.' and '-' (not only dots), up to 192 characters."
        )
    if taken:
        return f"A service named {name} already exists."
    return ""


def edited_section(name: str, kind: str) -> Options:
    """The options of the service an editor page opens: {} for a new one. A name that
    cannot be a section, or a service of another kind, is not this page's (404)."""
    if not is_service_name(name):
        raise Http404(f"{name} cannot be a service name")
    options = get_section(SERVICE_PREFIX + name) or {}
    if options and options.get("_service", "").strip() != kind:
        raise Http404(f"{name} is not a {kind} service")
    return options


def new_section(kind: str) -> Options:
    """The options a new builtin service starts with."""
    return {"_type": "builtin", "_service": kind}


def save_service(
    request: HttpRequest, name: str, kind: str, options: Options
) -> list[tuple[str, str, str]]:
    """Save the options an editor page made of its form as ``service.<name>``.

    [] once saved (a message says so; the page then redirects), else the refused
    save's problems to show with the form: (option, value as saved, message).
    """
    try:
        save_section(name=SERVICE_PREFIX + name, options=options)
    except ConfigError as error:
        return [(option, options.get(option, ""), message) for _, option, message in error.problems]
    messages.success(request, f"Saved the {KIND_LABELS[kind].lower()} of {name}.")
    return []


@staff_member_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    name, kind, problem = "", "office-hours", ""
    if request.method == "POST":
        name, kind = request.POST.get("name", "").strip(), request.POST.get("kind", "")
        taken = get_section(SERVICE_PREFIX + name) is not None
        problem = new_service_problem(name, kind, taken=taken)
        if not problem:
            return redirect(EDITOR_PAGES[kind], name=name)
    callbacks = service_sections("callback")
    context = {
        "office_hours": service_lines(
            "office-hours", service_sections("office-hours"), callbacks, office_hours_editor.summary
        ),
        "capacity": service_lines(
            "capacity", service_sections("capacity"), callbacks, capacity_editor.summary
        ),
        "kinds": KIND_LABELS,
        "name": name,
        "kind": kind,
        "problem": problem,
    }
    return render(request, "manage/index.html", context)
