"""Helpers of the contact-center tests: a clock to move, agents and work to route."""

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from unittest.mock import patch

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.contactcenter import services
from apps.contactcenter.models import AgentProfile, AgentState, Interaction


class Clock:
    """``timezone.now()`` frozen at the real time, moved on only by :meth:`advance`."""

    def __init__(self) -> None:
        self.now: datetime = timezone.now()

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock() -> Iterator[Clock]:
    moving = Clock()
    with patch("django.utils.timezone.now", side_effect=lambda: moving.now):
        yield moving


@pytest.fixture
def make_agent(db) -> Callable[..., AgentProfile]:
    """``make_agent("ann", capacity={"chat": 2}, queues=["VQ_A"], ready=True)``."""

    def _make(
        username: str,
        *,
        capacity: dict[str, int] | None = None,
        queues: list[str] | None = None,
        ready: bool = True,
        password: str = "secret",
        staff: bool = False,
    ) -> AgentProfile:
        user = get_user_model().objects.create_user(username, password=password, is_staff=staff)
        agent = services.register_agent(user=user, capacity=capacity, queue_names=queues)
        services.login(agent=agent)
        if ready:
            services.set_ready(agent=agent)
        agent.refresh_from_db()
        return agent

    return _make


def enqueue(queue: str = "VQ_Sales", media: str = "chat", **kwargs) -> Interaction:
    return services.enqueue(media=media, queue_name=queue, **kwargs)


def fresh(obj):
    obj.refresh_from_db()
    return obj


def ready_agent(agent: AgentProfile) -> None:
    """Back to READY from whatever logged-in state the agent is in."""
    if fresh(agent).state != AgentState.READY:
        services.set_ready(agent=agent)


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Agents are users with passwords: hash them cheaply, the hasher is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
