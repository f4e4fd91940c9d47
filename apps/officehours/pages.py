"""The office-hours editor page: /manage/office-hours/<name>/."""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.core.times import now
from apps.officehours import editor
from apps.officehours.rules import OfficeHoursError, usable_timezones
from apps.services.pages import edited_section, new_section, save_service

KIND = "office-hours"


@staff_member_required
@require_http_methods(["GET", "POST"])
def office_hours_page(request: HttpRequest, name: str) -> HttpResponse:
    stored = edited_section(name, KIND)
    problems: list[tuple[str, str, str]] = []
    moment = now()
    try:
        form = editor.editor_from_options(stored, moment.date())
        preview = editor.preview(stored, moment) if stored else None
    except OfficeHoursError as error:
        return render(request, "manage/unreadable.html", {"name": name, "error": error})
    if request.method == "POST":
        form = editor.editor_from_form(dict(request.POST.lists()))
        options = editor.options_from_editor(stored or new_section(KIND), form)
        problems = save_service(request, name, KIND, options)
        if not problems:
            return redirect("office-hours-page", name=name)
    context = {
        "name": name,
        "is_new": not stored,
        "form": form,
        "problems": problems,
        "preview": preview,
        "kept": editor.kept_options(stored),
        "timezones": usable_timezones(),
        "yearly": editor.YEARLY,
    }
    return render(request, "manage/office_hours.html", context)
