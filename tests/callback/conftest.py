"""A callback service ``cb-sales`` and helpers to post to it like a GMS client."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from apps.contactcenter import services as contactcenter
from apps.core.times import format_utc
from tests.conftest import basic

SERVICE = "cb-sales"
NUMBER = "+14155550142"
BASE_OPTIONS = {
    "_type": "ors",
    "_service": "callback",
    "_default_country": "US",
    "_urs_virtual_queue": "VQ_CB",
    "_request_execution_time_buffer": "60",
    "_request_time_bucket": "5",
    "_max_request_by_time_bucket": "2",
    "_ttl": "3600",
}


@pytest.fixture
def service(configure) -> Callable[..., None]:
    """Configure ``cb-sales`` (BASE_OPTIONS plus overrides); configured once by default."""

    def _service(**overrides: str) -> None:
        configure({f"service.{SERVICE}": {**BASE_OPTIONS, **overrides}})

    _service()
    return _service


@pytest.fixture
def close_office(service, configure) -> Callable[[], None]:
    """Give ``cb-sales`` office hours ``hours``, open only 00:00-00:05 UTC every day."""

    def _close_office() -> None:
        configure(
            {
                "service.hours": {
                    "_type": "builtin",
                    "_service": "office-hours",
                    "_timezone": "UTC",
                    "_bh_regular1": "Mon-Sun 00:00-00:05",
                }
            }
        )
        service(_business_hours_service="hours")

    return _close_office


def future(minutes: int) -> datetime:
    """A bucket-aligned time ``minutes`` (rounded up to 5) from now, so bookings are stable."""
    now = datetime.now(UTC)
    base = now.replace(second=0, microsecond=0) + timedelta(minutes=5 - now.minute % 5)
    return base + timedelta(minutes=minutes)


def iso(t: datetime) -> str:
    return format_utc(t)


@pytest.fixture
def create(client) -> Callable[..., object]:
    """POST a callback as JSON; returns the response."""

    def _create(service_name: str = SERVICE, **body: str):
        body.setdefault("_customer_number", NUMBER)
        return client.post(
            f"/genesys/1/service/callback/{service_name}", body, content_type="application/json"
        )

    return _create


def assert_callback_error(response, status: int, exception: str) -> dict:
    """The callback error body of callback.md §3.1."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == status
    assert isinstance(body["phrase"], str) and body["phrase"]
    assert body["exception"].endswith(exception), body
    assert isinstance(body["message"], str) and body["message"]
    return body


class Desk:
    """Agent ``ann`` of queue VQ_CB, driving the agent API with her Basic credentials."""

    def __init__(self, capture) -> None:
        user = get_user_model().objects.create_user("ann", password="pw")
        self.agent = contactcenter.register_agent(user=user, queue_names=["VQ_CB"])
        self.http = Client(headers={"Authorization": basic("ann", "pw")})
        self.capture = capture

    def post(self, path: str, body: dict | None = None):
        # Routing runs after the commit: run the after-commit work as a server would.
        with self.capture(execute=True):
            response = self.http.post(
                f"/api/agent/{path}", body or {}, content_type="application/json"
            )
        assert response.status_code == 200, response.content
        return response.json()

    def ready(self) -> None:
        self.post("ready")

    def offered(self) -> int:
        (offer,) = self.http.get("/api/agent/offers").json()["offers"]
        return offer["id"]


@pytest.fixture
def desk(django_capture_on_commit_callbacks, settings) -> Desk:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    agent_desk = Desk(django_capture_on_commit_callbacks)
    agent_desk.post("login")
    return agent_desk
