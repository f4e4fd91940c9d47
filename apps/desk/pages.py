"""The agent desk page, /desk/: a shell the desk's JavaScript fills from the agent API.

Agents need not be staff, so the desk has its own sign-in page (the Django
admin's refuses non-staff users).
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from apps.contactcenter.selectors import is_agent

sign_in = LoginView.as_view(
    template_name="desk/login.html", next_page="desk", redirect_authenticated_user=True
)
sign_out = LogoutView.as_view(next_page="desk-login")


@require_GET
@login_required(login_url="desk-login")
@ensure_csrf_cookie  # the page's script sends it back as X-CSRFToken on every POST
def desk(request: HttpRequest) -> HttpResponse:
    if not is_agent(request.user):
        return render(request, "desk/not_agent.html", status=403)
    return render(request, "desk/desk.html")
