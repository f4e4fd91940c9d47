"""The capacity editor page: /manage/capacity/<name>/."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.capacity import editor
from apps.capacity.grid import HOURS, CapacityError
from apps.core.selectors import service_sections
from apps.officehours.rules import usable_timezones
from apps.services.pages import edited_section, new_section, save_service

KIND = "capacity"


@staff_member_required
@require_http_methods(["GET", "POST"])
def capacity_page(request: HttpRequest, name: str) -> HttpResponse:
    stored = edited_section(name, KIND)
    problems: list[tuple[str, str, str]] = []
    try:
        form = editor.editor_from_options(stored)
    except CapacityError as error:
        return render(request, "manage/unreadable.html", {"name": name, "error": error})
    if request.method == "POST":
        form = editor.editor_from_form(dict(request.POST.lists()), form.max_capacity)
        options = editor.options_from_editor(stored or new_section(KIND), form)
        problems = save_service(request, name, KIND, options)
        if not problems:
            return redirect("capacity-page", name=name)
    context = {
        "name": name,
        "is_new": not stored,
        "form": form,
        "problems": problems,
        "hours": [f"{hour:02d}" for hour in HOURS],
        "uses": editor.bucket_uses(name, service_sections("callback")),
        "default_bucket": editor.BucketUse("", editor.DEFAULT_REQUEST_TIME_BUCKET),
        "kept": editor.kept_options(stored),
        "timezones": usable_timezones(),
    }
    return render(request, "manage/capacity.html", context)
