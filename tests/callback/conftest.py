"""A callback service ``cb-sales`` and helpers to post to it like a GMS client."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from apps.core.times import format_utc

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
