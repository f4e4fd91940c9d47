"""A push target and eager Celery for every delivery test."""

from collections.abc import Iterator

import pytest

from tests.notification.target import Target, eager_celery, serving


@pytest.fixture
def target() -> Iterator[Target]:
    with serving() as recorder:
        yield recorder


@pytest.fixture
def eager() -> Iterator[None]:
    with eager_celery():
        yield
