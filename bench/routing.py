"""Time routing: 10,000 interactions across 200 agents, and the Stat Service's queue snapshot.

* steady flow: interactions are queued one at a time with the after-commit
  routing a request triggers; the agent offered each one accepts and completes
  it at once, freeing the slot. Prints cycles per second and the time from
  queued to offered (p50/p99);
* backlog: the same number queued while nobody is READY, then 200 agents with
  capacity 50 go READY and one ``route()`` pass drains the queue: offers/s;
* ``queue_snapshot`` p50/p99 over 1,000 calls, with the backlog waiting.

Runs on a throwaway database: ``GMS_DATABASE_URL`` when set (it is migrated,
filled and ANALYZEd: never point it at data you keep), else a temporary SQLite file. The
channel layer is whatever the settings choose (in-memory unless ``GMS_REDIS_URL``).
Prints figures; asserts nothing.

    .venv/bin/python bench/routing.py [--interactions 10000] [--agents 200]
"""

import argparse
import statistics
import time
from unittest.mock import patch

from throwaway import percentile, setup_django  # bench/throwaway.py

setup_django("routing")

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from apps.contactcenter import selectors, services  # noqa: E402
from apps.contactcenter.models import AgentProfile, Interaction  # noqa: E402

SNAPSHOTS = 1000


def report(name: str, values_ms: list[float]) -> None:
    print(
        f"  {name:<34} p50 {statistics.median(values_ms):8.3f} ms"
        f"   p99 {percentile(values_ms, 0.99):8.3f} ms"
    )


def make_agents(prefix: str, count: int, capacity: dict[str, int]) -> list[AgentProfile]:
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{prefix}{n}") for n in range(count)
    )
    agents = []
    for user in users:
        agent = services.register_agent(user=user, capacity=capacity)
        services.login(agent=agent)
        agents.append(agent)
    return agents


def analyze() -> None:
    """Fresh planner statistics, as autovacuum keeps them on a running PostgreSQL.

    Some servers run without autovacuum (CI's does): with the statistics of empty
    tables the estimates of the agent queries cross ``jit_above_cost`` and JIT
    compilation adds about 25 ms to each, which measures the setup, not routing.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def offer_latencies_ms(queue: str) -> list[float]:
    rows = Interaction.objects.filter(queue__name=queue).values_list("queued_at", "offered_at")
    return [(offered - queued).total_seconds() * 1000 for queued, offered in rows if offered]


def steady_flow(count: int, agents: int) -> None:
    for agent in make_agents("steady", agents, {"chat": 3}):
        services.set_ready(agent=agent)
    analyze()
    began = time.perf_counter()
    for _ in range(count):
        interaction = services.enqueue(media="chat", queue_name="VQ_Steady")
        interaction.refresh_from_db()  # the after-commit routing has offered it
        accepted = services.accept(interaction=interaction, agent=interaction.agent)
        services.complete(interaction=accepted, agent=accepted.agent, disposition="done")
    elapsed = time.perf_counter() - began
    print(f"steady flow: {count} interactions queued, offered, accepted, completed one by one")
    print(f"  {count / elapsed:,.0f} interactions/s (full cycle, {elapsed:.1f} s)")
    report("queued -> offered", offer_latencies_ms("VQ_Steady"))


def backlog(count: int, agents: int) -> None:
    # Hold the after-commit routing back while setting up, so one timed pass drains it all.
    with patch.object(services, "route"):
        for _ in range(count):
            services.enqueue(media="chat", queue_name="VQ_Backlog")
        team = make_agents("backlog", agents, {"chat": -(-count // agents)})
    analyze()
    snapshots = []
    for _ in range(SNAPSHOTS):
        began = time.perf_counter()
        snapshot = selectors.queue_snapshot("VQ_Backlog")
        snapshots.append((time.perf_counter() - began) * 1000)
    with patch.object(services, "route"):
        for agent in team:
            services.set_ready(agent=agent)
    began = time.perf_counter()
    offers = services.route()
    elapsed = time.perf_counter() - began
    print(f"backlog: {count} waiting, {agents} agents go READY, one route() pass")
    print(f"  {len(offers) / elapsed:,.0f} offers/s ({len(offers)} offers in {elapsed:.1f} s)")
    print(f"queue_snapshot with {snapshot.waiting} waiting ({SNAPSHOTS} calls)")
    report("queue_snapshot", snapshots)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=10_000)
    parser.add_argument("--agents", type=int, default=200)
    args = parser.parse_args()
    layer = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"database {connection.vendor}, channel layer {layer}")
    steady_flow(args.interactions, args.agents)
    backlog(args.interactions, args.agents)


if __name__ == "__main__":
    main()
