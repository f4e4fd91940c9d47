"""Helpers of the Storage API tests: a clock to move, raw multipart bodies, shortcuts."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from unittest.mock import patch
from urllib.parse import urlencode

import pytest
from django.utils import timezone

BASE = "/genesys/1/storage"
FORM = "application/x-www-form-urlencoded"


class Clock:
    """``timezone.now()`` frozen at the real time, moved on only by :meth:`advance`."""

    def __init__(self) -> None:
        self.now: datetime = timezone.now()

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Iterator[Clock]:
    moving = Clock()
    with patch("django.utils.timezone.now", side_effect=lambda: moving.now):
        yield moving


def multipart(*parts: tuple[bytes, bytes, bytes | None, bytes | None]) -> tuple[bytes, str]:
    """A multipart/form-data body, byte for byte: (name, value, filename, content type) per part."""
    boundary = b"gms-test-boundary"
    body = b""
    for name, value, filename, content_type in parts:
        disposition = b'Content-Disposition: form-data; name="' + name + b'"'
        if filename is not None:
            disposition += b'; filename="' + filename + b'"'
        body += b"--" + boundary + b"\r\n" + disposition + b"\r\n"
        if content_type is not None:
            body += b"Content-Type: " + content_type + b"\r\n"
        body += b"\r\n" + value + b"\r\n"
    body += b"--" + boundary + b"--\r\n"
    return body, "multipart/form-data; boundary=" + boundary.decode()


def post_form(client, path: str, values: dict | list | str = "", **kwargs):
    """POST an application/x-www-form-urlencoded body (pairs keep their order and repeats)."""
    body = values if isinstance(values, str) else urlencode(values, doseq=True)
    return client.post(path, body, content_type=FORM, **kwargs)


def create(client, values: dict | list | str = "", ttl: str = "60", **kwargs) -> str:
    """Create an area with an urlencoded body and return its id."""
    response = post_form(client, f"{BASE}/{ttl}", values, **kwargs)
    assert response.status_code == 200, response.content
    return response.json()["id"]


def read_all(client, storage_id: str, **kwargs):
    return client.get(f"{BASE}/{storage_id}", **kwargs)
