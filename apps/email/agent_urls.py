"""The agent's reads of emails, mounted under ``/api/`` next to the agent API."""

from django.urls import path

from apps.email import apis

urlpatterns = [
    path("agent/emails/<int:interaction_id>", apis.AgentEmailView.as_view(), name="agent-email"),
    path(
        "agent/emails/<int:interaction_id>/attachments/<int:attachment_id>",
        apis.AgentAttachmentView.as_view(),
        name="agent-email-attachment",
    ),
]
