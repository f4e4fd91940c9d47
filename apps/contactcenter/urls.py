"""Routes of the agent API and the internal interaction API, mounted under ``/api/``."""

from django.urls import path

from apps.contactcenter import apis

urlpatterns = [
    path("agent/login", apis.LoginView.as_view(), name="agent-login"),
    path("agent/logout", apis.LogoutView.as_view(), name="agent-logout"),
    path("agent/ready", apis.ReadyView.as_view(), name="agent-ready"),
    path("agent/not-ready", apis.NotReadyView.as_view(), name="agent-not-ready"),
    path("agent/state", apis.StateView.as_view(), name="agent-state"),
    path("agent/offers", apis.OffersView.as_view(), name="agent-offers"),
    path(
        "agent/interactions/<int:interaction_id>",
        apis.InteractionView.as_view(),
        name="agent-interaction",
    ),
    path(
        "agent/interactions/<int:interaction_id>/accept",
        apis.AcceptView.as_view(),
        name="agent-accept",
    ),
    path(
        "agent/interactions/<int:interaction_id>/reject",
        apis.RejectView.as_view(),
        name="agent-reject",
    ),
    path(
        "agent/interactions/<int:interaction_id>/complete",
        apis.CompleteView.as_view(),
        name="agent-complete",
    ),
    path("interactions", apis.InteractionsView.as_view(), name="interactions"),
]
