"""Exactly once under concurrency: routers racing on their own connections never offer an
interaction twice nor overfill an agent, and together they offer all that can be offered."""

import threading
from collections import Counter
from unittest.mock import patch

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from apps.contactcenter import services
from apps.contactcenter.models import (
    AgentCapacity,
    EventKind,
    Interaction,
    InteractionEvent,
    InteractionState,
    QueueStats,
)

CHATS, EMAILS, AGENTS = 160, 40, 20
# Chat capacity 5, 6, 7, 8, 5, ... (130 in all) and email 1 (20): less than the work queued.
CHAT_SLOTS = sum(5 + n % 4 for n in range(AGENTS))
EXPECTED_OFFERS = min(CHATS, CHAT_SLOTS) + min(EMAILS, AGENTS)


def _set_up() -> None:
    """Agents and work, with after-commit routing held back so the routers under test do it."""
    with patch.object(services, "route"):
        for n in range(AGENTS):
            user = get_user_model().objects.create_user(f"agent{n}")
            agent = services.register_agent(user=user, capacity={"chat": 5 + n % 4, "email": 1})
            services.login(agent=agent)
            services.set_ready(agent=agent)
        for n in range(CHATS + EMAILS):
            services.enqueue(
                media="chat" if n < CHATS else "email",
                queue_name=("VQ_A", "VQ_B")[n % 2],
                priority=n % 3,
            )


def _route_in_threads(threads: int) -> list[int]:
    """Each thread routes on its own connection until it finds nothing; the ids offered."""
    start = threading.Barrier(threads)
    offered: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def router() -> None:
        try:
            start.wait()
            while offers := services.route():
                with lock:
                    offered.extend(o.pk for o in offers)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=router) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors, errors
    return offered


def _assert_exactly_once(offered: list[int]) -> None:
    offers_per_interaction = Counter(
        InteractionEvent.objects.filter(kind=EventKind.OFFERED).values_list(
            "interaction_id", flat=True
        )
    )
    assert max(offers_per_interaction.values()) == 1
    assert sorted(offered) == sorted(offers_per_interaction)
    assert len(offered) == EXPECTED_OFFERS
    for capacity in AgentCapacity.objects.all():
        held = Interaction.objects.filter(
            agent_id=capacity.agent_id, media=capacity.media, state=InteractionState.OFFERED
        ).count()
        assert capacity.load == held <= capacity.capacity
    offered_rows = Interaction.objects.filter(state=InteractionState.OFFERED).count()
    assert offered_rows == EXPECTED_OFFERS
    assert sum(QueueStats.objects.values_list("offered", flat=True)) == EXPECTED_OFFERS
    assert sum(QueueStats.objects.values_list("waiting", flat=True)) == (
        CHATS + EMAILS - EXPECTED_OFFERS
    )


@pytest.mark.django_db(transaction=True)
def test_one_router_offers_everything_it_can_once():
    _set_up()
    _assert_exactly_once(_route_in_threads(1))


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has one writer at a time: there is no concurrent routing to race",
)
def test_concurrent_routers_offer_each_interaction_once_and_never_overfill_an_agent():
    _set_up()
    _assert_exactly_once(_route_in_threads(8))
