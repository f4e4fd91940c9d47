"""The limit and bucket checks and the insert are one transaction: a last place goes once."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections

from apps.callback import selectors, services
from apps.callback.models import Callback
from apps.callback.options import CallbackOptions
from apps.core.errors import GMSError
from tests.callback.conftest import BASE_OPTIONS, SERVICE


def test_booked_counts_skip_cancellations_and_other_buckets(db) -> None:
    """Unit: booked() feeds free_slots/slot_problem; cancelled callbacks free their place."""
    t = datetime(2030, 1, 1, 12, tzinfo=UTC)
    for n, reason in enumerate(["", "CANCELLED", "CANCELLED_BY_ADMIN", "AGENT_CONNECTED"]):
        Callback.objects.create(
            service_name=SERVICE,
            customer_number="1",
            desired_time=t + timedelta(minutes=n),
            due_at=t,
            state="COMPLETED" if reason else "SCHEDULED",
            reason=reason,
            expiration_time=t + timedelta(days=1),
            created_at=t,
            updated_at=t,
        )
    counts = selectors.booked(SERVICE, t, t + timedelta(minutes=5))
    assert sum(counts.values()) == 2
    options = CallbackOptions.read(SERVICE, BASE_OPTIONS, {})
    found = {
        s.start: s.capacity
        for s in selectors.slots(options, start=t, end=t + timedelta(minutes=10), report_busy=True)
    }
    assert found == {t: 0, t + timedelta(minutes=5): 2}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no row locks and serialises every writer: the race cannot happen there",
)
def test_concurrent_bookings_of_the_last_places(configure) -> None:
    configure({f"service.{SERVICE}": BASE_OPTIONS})  # 2 places per bucket
    options = CallbackOptions.read(SERVICE, BASE_OPTIONS, {})
    desired = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1)
    bodies = [
        {"_customer_number": f"+1415555{n:04d}", "_desired_time": desired.isoformat()}
        for n in range(8)
    ]
    results = _race(options, bodies)
    assert results == ["CallbackExceptionAvailability"] * 6 + ["ok"] * 2
    assert Callback.objects.filter(service_name=SERVICE).count() == 2


def _race(options: CallbackOptions, bodies: list[dict[str, str]]) -> list[str]:
    """Create one callback per body from as many threads at once; each outcome."""
    barrier = threading.Barrier(len(bodies))
    results: list[str] = []
    lock = threading.Lock()

    def create(body: dict[str, str]) -> None:
        try:
            barrier.wait()
            services.create_callback(options=options, params=body, now=datetime.now(UTC))
            outcome = "ok"
        except GMSError as error:
            outcome = error.exception_name.rsplit(".", 1)[-1]
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    workers = [threading.Thread(target=create, args=(body,)) for body in bodies]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return sorted(results)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer")
def test_concurrent_immediate_callbacks_of_one_number_pass_the_duplicate_check_once_each(
    configure,
) -> None:
    """§5 step 5: at most IN_QUEUE_DUPLICATES queued callbacks per number, however raced."""
    section = {**BASE_OPTIONS, "_enable_in_queue_checking": "true"}
    configure({f"service.{SERVICE}": section})
    options = CallbackOptions.read(SERVICE, section, {})
    results = _race(options, [{"_customer_number": "+14155550142"}] * 6)
    allowed = services.IN_QUEUE_DUPLICATES
    assert results == ["CallbackExceptionServiceUnavailable"] * (6 - allowed) + ["ok"] * allowed


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer")
def test_concurrent_immediate_callbacks_fill_the_queue_limit_exactly(configure) -> None:
    section = {**BASE_OPTIONS, "_max_queued_callbacks_per_service": "3"}
    configure({f"service.{SERVICE}": section})
    options = CallbackOptions.read(SERVICE, section, {})
    results = _race(options, [{"_customer_number": f"+1415555{n:04d}"} for n in range(6)])
    assert results == ["CallbackExceptionServiceUnavailable"] * 3 + ["ok"] * 3
