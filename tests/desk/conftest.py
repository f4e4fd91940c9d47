"""Users of the desk tests: an agent, and a signed-in user who is not one."""

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model

from apps.contactcenter import services

PASSWORD = "desk-password"


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """Hash cheaply: the hasher is not under test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db) -> Callable[..., object]:
    """``make_user("ann", agent=True, queues=["VQ_A"])``: a user, an agent profile if asked."""

    def _make(username: str, *, agent: bool = True, queues: list[str] | None = None):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        if agent:
            services.register_agent(user=user, queue_names=queues)
        return user

    return _make
