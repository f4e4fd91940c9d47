"""Fixtures every test shares: an HTTP client, configuration sections, admin credentials."""

import base64
from collections.abc import Callable, Mapping

import pytest
from django.test import Client

from apps.core import services as config_services

ADMIN_USER = "admin"
ADMIN_PASSWORD = "test-admin-password"


def basic(username: str, password: str) -> str:
    """The value of an ``Authorization: Basic`` header."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture(autouse=True)
def _admin_credentials(settings) -> None:
    settings.GMS_ADMIN_USER = ADMIN_USER
    settings.GMS_ADMIN_PASSWORD = ADMIN_PASSWORD


@pytest.fixture
def client() -> Client:
    """A client that, like a GMS app, never sends a CSRF token or a session cookie."""
    return Client()


@pytest.fixture
def admin_headers() -> dict[str, str]:
    return {"Authorization": basic(ADMIN_USER, ADMIN_PASSWORD)}


@pytest.fixture
def configure(db) -> Callable[..., None]:
    """Store configuration sections: ``configure({"server": {"password": "x"}})``."""

    def _configure(sections: Mapping[str, Mapping[str, str]]) -> None:
        for name, options in sections.items():
            config_services.save_section(name=name, options=options)

    return _configure


def assert_gms_error(response, status: int, exception: str | None = None) -> dict:
    """The response is a GMS platform error: the status and a JSON {message, exception} body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body.get("message"), str) and body["message"]
    assert isinstance(body.get("exception"), str) and body["exception"]
    if exception is not None:
        assert body["exception"] == exception
    return body
