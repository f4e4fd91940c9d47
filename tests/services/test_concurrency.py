"""Two requests racing for access numbers never get the same number and code (service.md §3.1):
each runs on its own connection, the resource group's row lock serialises the choice."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from apps.core import services as config_services
from apps.core.errors import GMSError
from apps.services import services
from apps.services.models import AccessReservation
from apps.services.params import AccessRequest

NUMBERS = [f"+1800555{n:04d}" for n in range(5)]


def _race(threads: int, access: AccessRequest) -> tuple[list[tuple[str, str]], list[int]]:
    """Each thread reserves once, all starting together; (number, code) won and statuses lost."""
    start = threading.Barrier(threads)
    won: list[tuple[str, str]] = []
    lost: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def reserve() -> None:
        try:
            start.wait()
            reservation = services.request_interaction(
                service_name="ri", ttl=30, values={}, access=access, now=timezone.now()
            )
            with lock:
                won.append((reservation.access_number, reservation.access_code))
        except GMSError as error:
            with lock:
                lost.append(error.status_code)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=reserve) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors, errors
    return won, lost


def _access(group: str, *, code: bool) -> AccessRequest:
    return AccessRequest(
        group=group,
        provide_code=code,
        code_length=6,
        code_prefix="12345",  # one free digit: ten codes per number
        phone_number="",
        seconds=30,
    )


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has one writer at a time: there is no concurrent allocation to race",
    ),
]


def test_racing_requests_get_distinct_numbers_until_the_pool_is_full():
    config_services.save_section(name="resources", options={"DNIS": ",".join(NUMBERS)})
    won, lost = _race(8, _access("DNIS", code=False))
    assert sorted(number for number, _ in won) == NUMBERS
    assert lost == [503] * 3
    assert AccessReservation.objects.count() == 5


def test_racing_requests_with_codes_never_share_a_code():
    config_services.save_section(name="resources", options={"ONE": NUMBERS[0]})
    won, lost = _race(12, _access("ONE", code=True))
    assert len(won) == 10 and len(set(won)) == 10
    assert lost == [503] * 2
