"""Reads of the Email API: an email and its attachments, for the agent who holds its interaction."""

from apps.contactcenter import selectors as contactcenter
from apps.contactcenter.models import AgentProfile
from apps.core.errors import NotFound
from apps.email.models import SOURCE, Attachment, Email


def email_for_agent(interaction_id: int, agent: AgentProfile) -> Email:
    """The email of an interaction the agent holds or held; NotFound for any other."""
    interaction = contactcenter.interaction_for_agent(interaction_id, agent)
    email = None
    if interaction.source == SOURCE:
        email = Email.objects.filter(pk=interaction.source_id).first()
    if email is None:
        raise NotFound(f"Interaction {interaction_id} is not an email")
    return email


def attachments_of(email: Email) -> list[Attachment]:
    """The attachments without their bytes: a listing reads only their names and sizes."""
    return list(email.attachments.defer("content"))


def attachment_for_agent(
    interaction_id: int, attachment_id: int, agent: AgentProfile
) -> Attachment:
    """One attachment of an email the agent holds or held; NotFound for any other."""
    email = email_for_agent(interaction_id, agent)
    attachment = email.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(f"Attachment {attachment_id} not found")
    return attachment
