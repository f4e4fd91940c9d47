"""A contact center worked out by hand, and a cache emptied before each test."""

import pytest
from django.core.cache import cache

from apps.contactcenter import services
from tests.contactcenter.conftest import _fast_passwords, clock, enqueue, make_agent

__all__ = ["_fast_passwords", "clock", "make_agent"]

STATISTIC = "/genesys/1/statistic"
INTERNAL = "/genesys/1/internal_statistic"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Opened statistics live in the cache: each test starts with none."""
    cache.clear()


@pytest.fixture
def contact_center(clock, make_agent) -> dict:
    """VQ_Sales, with the clock frozen (t0 is its start); routing runs only when called.

    Agents: ann (chat capacity 1, VQ_Sales, READY), bob (VQ_Sales, NOT_READY),
    carol (VQ_Other only, READY). ann answers a chat in 5 s and handles it for
    120 s (AHT 120, answered within the 20 s service level); another chat is
    abandoned while waiting. Then the chat of callback ``cb-offered`` is offered
    to ann, and those of ``cb-first`` and ``cb-second`` wait, queued 20 and 10 s
    ago. So: 2 waiting, oldest 20 s, 1 READY agent (ann, busy), service level
    1 of 2 = 50 %, EWT of a newcomer (2 + 1) x 120 / 1 = 360 s.
    """
    ann = make_agent("ann", capacity={"chat": 1}, queues=["VQ_Sales"])
    bob = make_agent("bob", queues=["VQ_Sales"], ready=False)
    make_agent("carol", queues=["VQ_Other"])

    first = enqueue()
    assert services.route()[0].agent == ann
    clock.advance(5)
    services.accept(interaction=first, agent=ann)
    clock.advance(120)
    services.complete(interaction=first, agent=ann)
    services.abandon(interaction=enqueue(), reason="left")

    offered = enqueue(source="callback", source_id="cb-offered")
    assert services.route()[0] == offered
    first_waiting = enqueue(source="callback", source_id="cb-first")
    clock.advance(10)
    second_waiting = enqueue(source="callback", source_id="cb-second")
    clock.advance(10)
    assert services.route() == []
    return {
        "ann": ann,
        "bob": bob,
        "offered": offered,
        "first": first_waiting,
        "second": second_waiting,
    }


def statistic(**overrides: str) -> dict[str, str]:
    """A PeekStat body for VQ_Sales, with ``overrides``; a None value leaves the key out."""
    body = {
        "objectId": "VQ_Sales@SIP_Server",
        "objectType": "Queue",
        "tenant": "Environment",
        "metric": "CurrNumberWaitingCalls",
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}
