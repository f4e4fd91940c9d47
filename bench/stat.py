"""Time the Stat Service API through Django's test Client, on a busy contact center.

Setup: 20 virtual queues, 200 agents (each serving two queues, chat capacity 3,
half of them READY), 10,000 chats queued by callbacks, then one routing pass,
so some are offered and the rest wait. Then, p50/p99 of:

* ``POST /genesys/1/internal_statistic`` computed on every request
  (``Cache-Control: max-age=0``), cycling over the six metrics and 20 queues;
* the same requests answered from the cache (no header, values opened before);
* ``GET /genesys/2/ewt/ewt2`` for every queue;
* ``GET /genesys/1/service/{id}/check-queue-position`` for waiting callbacks,
  and for an unknown id.

Runs on a throwaway database: ``GMS_DATABASE_URL`` when set (it is migrated and
filled: never point it at data you keep), else a temporary SQLite file. The
cache is whatever the settings choose (local memory unless ``GMS_REDIS_URL``).
Prints figures; asserts nothing.

    .venv/bin/python bench/stat.py [--requests 1000]
"""

import argparse
import itertools
import statistics
import time
from collections.abc import Callable
from unittest.mock import patch

from throwaway import percentile, setup_django  # bench/throwaway.py

setup_django("stat")

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from apps.contactcenter import services  # noqa: E402
from apps.contactcenter.models import Interaction, InteractionState  # noqa: E402

QUEUES = 20
AGENTS = 200
INTERACTIONS = 10_000
METRICS = [
    ("CurrNumberWaitingCalls", "Queue"),
    ("ExpectedWaitTime", "Queue"),
    ("OldestWaitingTime", "Queue"),
    ("ServiceLevel", "Queue"),
    ("CurrNumberReadyAgents", "GroupAgents"),
    ("CurrentAgentStates", "Queue"),
]


def report(name: str, values_ms: list[float]) -> None:
    print(
        f"  {name:<48} p50 {statistics.median(values_ms):8.3f} ms"
        f"   p99 {percentile(values_ms, 0.99):8.3f} ms   (n={len(values_ms)})"
    )


def timed(count: int, request: Callable[[int], object], status: int = 200) -> list[float]:
    """Milliseconds of ``count`` calls of ``request(i)``; each must answer ``status``."""
    times = []
    for i in range(count):
        began = time.perf_counter()
        response = request(i)
        times.append((time.perf_counter() - began) * 1000)
        if response.status_code != status:
            raise SystemExit(f"request {i} answered {response.status_code}: {response.content!r}")
    return times


def queue_name(n: int) -> str:
    return f"VQ_{n % QUEUES:02d}"


def fill() -> None:
    """The contact center of the module docstring; routing held back until the end."""
    with patch.object(services, "route"):
        users = get_user_model().objects.bulk_create(
            get_user_model()(username=f"agent{n}") for n in range(AGENTS)
        )
        for n, user in enumerate(users):
            agent = services.register_agent(
                user=user, capacity={"chat": 3}, queue_names=[queue_name(n), queue_name(n + 1)]
            )
            services.login(agent=agent)
            if n % 2:
                services.set_ready(agent=agent)
        for n in range(INTERACTIONS):
            services.enqueue(
                media="chat", queue_name=queue_name(n), source="callback", source_id=f"cb-{n}"
            )
    offers = services.route()
    waiting = Interaction.objects.filter(state=InteractionState.QUEUED).count()
    print(f"{QUEUES} queues, {AGENTS} agents, {INTERACTIONS} chats: {len(offers)} offered")
    print(f"  and {waiting} waiting")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"database {connection.vendor}, cache {cache}")
    fill()

    client = Client(HTTP_HOST="localhost")
    cases = list(itertools.product(METRICS, range(QUEUES)))

    def peek(i: int, **headers: str):
        (metric, object_type), queue = cases[i % len(cases)]
        body = {
            "metric": metric,
            "objectType": object_type,
            "objectId": f"{queue_name(queue)}@SIP_Server",
            "tenant": "Environment",
        }
        return client.post("/genesys/1/internal_statistic", body, headers=headers)

    print(f"statistics ({len(METRICS)} metrics x {QUEUES} queues, cycled)")
    fresh = timed(args.requests, lambda i: peek(i, **{"Cache-Control": "max-age=0"}))
    report("computed (max-age=0)", fresh)
    report("from the cache (no Cache-Control)", timed(args.requests, peek))

    print("EWT API")
    ewt_all = timed(args.requests // 10, lambda i: client.get("/genesys/2/ewt/ewt2"))
    report(f"/genesys/2/ewt/ewt2, all {QUEUES} queues", ewt_all)
    one = timed(
        args.requests,
        lambda i: client.get("/genesys/1/service/ewt-for-vq", {"name": queue_name(i)}),
    )
    report("/genesys/1/service/ewt-for-vq, one queue", one)

    waiting = list(
        Interaction.objects.filter(state=InteractionState.QUEUED)
        .order_by("?")
        .values_list("source_id", flat=True)[: args.requests]
    )
    print("check-queue-position")
    position = "/genesys/1/service/{}/check-queue-position"
    report(
        "a waiting callback",
        timed(len(waiting), lambda i: client.get(position.format(waiting[i]))),
    )
    unknown = timed(args.requests // 10, lambda i: client.get(position.format("nope")), 404)
    report("an unknown id (404)", unknown)


if __name__ == "__main__":
    main()
