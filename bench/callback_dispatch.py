"""Dispatch 10,000 scheduled callbacks due within the same minute with two dispatchers.

Each dispatcher is a thread with its own connection that does what the beat task
``dispatch_due`` does on a node, once every ``--interval`` seconds (the beat schedule; a
tick longer than that is followed at once by the next): ``dispatch_until`` the next tick,
i.e. a ``claim_due`` pass, and another whenever a callback falls due. Callbacks are due
from 5 s after the setup, spread over one minute. Prints the lateness (commit of the
enqueue minus due time) p50/p99/max, how the work split between the dispatchers, and
duplicates (contact-center interactions per callback beyond one). Routing after each
commit is held back: it is the contact center's cost, not the dispatcher's.

Runs on a throwaway database: ``GMS_DATABASE_URL`` when set (it is migrated and
filled: never point it at data you keep), else a temporary SQLite
file (which serialises writers, so expect a slower and less meaningful run). Callbacks
due there from earlier runs are dispatched too, but only this run's are measured.
Prints figures; asserts nothing.

    .venv/bin/python bench/callback_dispatch.py [--callbacks 10000] [--interval 2]
"""

import argparse
import threading
import time
from collections import Counter
from datetime import timedelta
from unittest.mock import patch

from throwaway import percentile, setup_django  # bench/throwaway.py

setup_django("callback")

from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from apps.callback import machine, services  # noqa: E402
from apps.callback.models import Callback, State  # noqa: E402
from apps.contactcenter import services as contactcenter  # noqa: E402
from apps.contactcenter.models import Interaction  # noqa: E402


def set_up(count: int) -> dict[str, float]:
    """``count`` SCHEDULED callbacks due over one minute from 5 s after the setup; id -> due.

    They are inserted due in a year, then moved in one UPDATE, so a slow setup adds no
    lateness.
    """
    start = timezone.now() + timedelta(days=365)
    due: dict[str, float] = {}
    with transaction.atomic():
        for n in range(count):
            at = start + timedelta(seconds=60 * n / count)
            callback = Callback(
                service_name="bench",
                customer_number=f"+1415{n:07d}",
                desired_time=at,
                due_at=at,
                expiration_time=at + timedelta(days=1),
                options={"_urs_virtual_queue": "VQ_BENCH"},
            )
            machine.start(callback, state=State.SCHEDULED, now=timezone.now())
            due[callback.pk] = at.timestamp()
    shift = start - (timezone.now() + timedelta(seconds=5))
    Callback.objects.filter(pk__in=list(due)).update(
        due_at=F("due_at") - shift, desired_time=F("desired_time") - shift
    )
    return {pk: at - shift.total_seconds() for pk, at in due.items()}


def run(due: dict[str, float], interval: float) -> tuple[dict[str, float], Counter, float]:
    """Two dispatchers until every callback is claimed; (id -> enqueued at, per node, seconds)."""
    enqueued: dict[str, float] = {}
    per_node: Counter = Counter()
    lock = threading.Lock()
    enqueue_many = contactcenter.enqueue_many

    def timed_enqueue_many(*, work, now=None):
        results = enqueue_many(work=work, now=now)

        def committed() -> None:
            at = time.time()
            with lock:
                enqueued.update(dict.fromkeys((item.source_id for item in work), at))

        transaction.on_commit(committed)
        return results

    def dispatcher(node: str) -> None:
        try:
            while not due.keys() <= enqueued.keys():
                began = time.monotonic()
                until = timezone.now() + timedelta(seconds=interval)
                claimed = services.dispatch_until(node=node, until=until)
                with lock:
                    per_node[node] += len(claimed)
                time.sleep(max(0.0, interval - (time.monotonic() - began)))
        finally:
            connections.close_all()

    began = time.monotonic()
    with (
        patch.object(contactcenter, "enqueue_many", timed_enqueue_many),
        patch.object(contactcenter, "route"),
    ):
        workers = [threading.Thread(target=dispatcher, args=(n,)) for n in ("node-a", "node-b")]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    return enqueued, per_node, time.monotonic() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callbacks", type=int, default=10_000)
    parser.add_argument("--interval", type=float, default=2.0, help="beat period, seconds")
    args = parser.parse_args()
    print(f"database: {connection.vendor}; {args.callbacks} callbacks due over 60 s")
    t = time.monotonic()
    due = set_up(args.callbacks)
    print(f"setup: {time.monotonic() - t:.1f} s")
    enqueued, per_node, elapsed = run(due, args.interval)
    lateness = [enqueued[pk] - due[pk] for pk in due]
    per_callback = Counter(
        Interaction.objects.filter(source="callback", source_id__in=list(due)).values_list(
            "source_id", flat=True
        )
    )
    duplicates = sum(n - 1 for n in per_callback.values() if n > 1)
    print(f"run: {elapsed:.1f} s; claimed per dispatcher: {dict(per_node)}")
    print(
        f"lateness: p50 {percentile(lateness, 0.5):.3f} s, p99 {percentile(lateness, 0.99):.3f} s, "
        f"max {max(lateness):.3f} s"
    )
    print(
        f"interactions: {sum(per_callback.values())} for {len(per_callback)} callbacks; "
        f"duplicates: {duplicates}; never enqueued: {len(due) - len(per_callback)}"
    )


if __name__ == "__main__":
    main()
