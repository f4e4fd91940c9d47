"""Helpers of the Email API tests: a configured service, a valid form, an agent holding the email."""

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model

from apps.contactcenter import services as contactcenter
from apps.contactcenter.models import AgentProfile, Interaction, InteractionState

PASSWORD = "email-agent-password"
URL = "/genesys/2/email/billing"


def form(**changes: str) -> dict[str, str]:
    """The required fields of email.md §3.1, with changes."""
    fields = {
        "firstName": "Maria",
        "lastName": "Lopez",
        "fromAddress": "maria.lopez@example.org",
        "subject": "Question about my invoice",
        "text": "Hello, invoice 2024-118 shows a double charge.",
    }
    fields.update(changes)
    return fields


def envelope(response, status: int, code: int, status_code: int = 2) -> str:
    """The Digital Channels error envelope (email.md §6); its advice."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["statusCode"] == status_code
    (error,) = body["errors"]
    assert error["code"] == code
    return error["advice"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def email_service(configure) -> None:
    configure({"email": {"queue": "VQ_Email"}})


@pytest.fixture
def make_agent(db) -> Callable[..., AgentProfile]:
    def _make(username: str, queues: tuple[str, ...] = ("VQ_Email",)) -> AgentProfile:
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        agent = contactcenter.register_agent(user=user, queue_names=list(queues))
        contactcenter.login(agent=agent)
        contactcenter.set_ready(agent=agent)
        return agent

    return _make


def accept_next(agent: AgentProfile) -> Interaction:
    """Route the email queue and accept what is offered to the agent."""
    contactcenter.route(queue_name="VQ_Email")
    interaction = Interaction.objects.get(state=InteractionState.OFFERED, agent=agent)
    return contactcenter.accept(interaction=interaction, agent=agent)
