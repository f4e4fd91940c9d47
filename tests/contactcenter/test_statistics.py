"""queue_snapshot, position_of and the expected wait time, in a scenario worked out by hand."""

import pytest
from django.contrib.auth.models import AnonymousUser

from apps.contactcenter import selectors, services
from apps.contactcenter.models import AgentState
from apps.contactcenter.selectors import DEFAULT_HANDLE_SECONDS
from apps.core.errors import NotFound
from tests.contactcenter.conftest import enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(clock, make_agent, settings) -> dict:
    """VQ_Sales, worked out by hand (t0 is the clock's start).

    Agents: ann and bob (chat capacity 1, VQ_Sales only), carol (VQ_Other only,
    READY), dave and erin (every queue, NOT_READY), fred (every queue, logged out).
    ann answers a chat in 5 s and handles it for 120 s; bob answers one in 25 s
    and still has it; a third is abandoned while offered to ann, who then goes
    NOT_READY. Three chats wait: priority 0, 5, 0 queued 30, 20 and 10 s ago.
    """
    settings.GMS_OFFER_TIMEOUT_SECONDS = 300
    ann = make_agent("ann", capacity={"chat": 1}, queues=["VQ_Sales"])
    clock.advance(1)
    bob = make_agent("bob", capacity={"chat": 1}, queues=["VQ_Sales"])
    make_agent("carol", queues=["VQ_Other"])
    make_agent("dave", ready=False)
    make_agent("erin", ready=False)
    services.logout(agent=make_agent("fred", ready=False))

    first = enqueue()
    assert services.route()[0].agent == ann
    clock.advance(5)
    services.accept(interaction=first, agent=ann)
    clock.advance(120)
    services.complete(interaction=first, agent=ann)
    second = enqueue()
    assert services.route()[0].agent == bob
    clock.advance(25)
    services.accept(interaction=second, agent=bob)
    third = enqueue()
    assert services.route()[0].agent == ann
    services.abandon(interaction=third, reason="left")
    services.set_not_ready(agent=ann)

    low_old = enqueue(priority=0)
    clock.advance(10)
    high = enqueue(priority=5)
    clock.advance(10)
    low_new = enqueue(priority=0)
    clock.advance(10)
    assert services.route() == []
    return {"low_old": low_old, "high": high, "low_new": low_new}


def test_position_follows_routing_order(scenario):
    assert selectors.position_of(scenario["high"]) == (1, 3)
    assert selectors.position_of(scenario["low_old"]) == (2, 3)
    assert selectors.position_of(scenario["low_new"]) == (3, 3)


def test_queue_snapshot(scenario):
    snapshot = selectors.queue_snapshot("VQ_Sales")
    assert snapshot.name == "VQ_Sales"
    assert (snapshot.waiting, snapshot.offered, snapshot.active) == (3, 0, 1)
    assert snapshot.oldest_waiting_seconds == 30
    # bob is READY but BUSY (his chat slot is full); carol serves another queue.
    assert snapshot.ready_agents == 1
    assert snapshot.agents_by_state == {
        AgentState.LOGGED_OUT: 1,
        AgentState.NOT_READY: 3,
        AgentState.READY: 0,
        AgentState.BUSY: 1,
    }
    assert (snapshot.entered, snapshot.answered, snapshot.completed, snapshot.abandoned) == (
        6,
        2,
        1,
        1,
    )
    # Answered within 20 s: the first (5 s), not the second (25 s); one abandoned.
    assert snapshot.answered_in_service_level == 1
    assert snapshot.service_level == pytest.approx(1 / 3)
    assert snapshot.average_handle_seconds == pytest.approx(120)
    # A newcomer: 3 ahead, no free slot, one READY agent (bob): (3 + 1) * 120 / 1.
    assert snapshot.expected_wait_seconds == 480


def test_expected_wait_by_position_and_media(scenario):
    assert selectors.expected_wait_seconds("VQ_Sales", position=1) == 120
    assert selectors.expected_wait_seconds("VQ_Sales", position=3, media="chat") == 360
    # bob's email slot is free: the first email waits for nothing, the second for one AHT.
    assert selectors.expected_wait_seconds("VQ_Sales", position=1, media="email") == 0
    assert selectors.expected_wait_seconds("VQ_Sales", position=2, media="email") == 120


def test_newcomer_waits_of_many_queues_match_one_by_one(scenario, make_agent):
    """The EWT API's batch read gives what expected_wait_seconds gives each queue."""
    make_agent("gina", capacity={"chat": 2})  # READY and idle, serving every queue
    enqueue(queue="VQ_Other")
    names = ["VQ_Sales", "VQ_Other", "VQ_Nowhere"]
    expected = {name: selectors.expected_wait_seconds(name) for name in names[:2]}
    assert selectors.newcomer_waits(names) == expected
    assert expected["VQ_Sales"] > 0


def test_a_queue_with_nothing_completed_assumes_the_default_handle_time(clock):
    enqueue(queue="VQ_Empty")
    snapshot = selectors.queue_snapshot("VQ_Empty")
    assert snapshot.average_handle_seconds is None and snapshot.service_level is None
    # Nobody READY: one slot is assumed, so the estimate stays finite.
    assert snapshot.expected_wait_seconds == 2 * DEFAULT_HANDLE_SECONDS


def test_more_free_slots_than_work_means_no_wait(clock, make_agent):
    make_agent("ann", capacity={"chat": 3})
    interaction = enqueue(queue="VQ_Chat")
    assert selectors.position_of(interaction) == (1, 1)
    assert selectors.expected_wait_seconds("VQ_Chat", position=1, media="chat") == 0
    services.route()
    assert selectors.position_of(interaction) == (0, 0)


def test_an_unknown_queue_is_not_found(db):
    with pytest.raises(NotFound):
        selectors.queue_snapshot("VQ_Nowhere")
    with pytest.raises(NotFound):
        selectors.expected_wait_seconds("VQ_Nowhere")


def test_a_channel_finds_its_interaction_by_source(clock):
    enqueue(source="chat", source_id="c-1")
    latest = enqueue(source="chat", source_id="c-1")
    enqueue(source="callback", source_id="c-1")
    assert selectors.find_by_source(source="chat", source_id="c-1") == latest
    assert selectors.find_by_source(source="email", source_id="c-1") is None


def test_is_agent(make_agent, django_user_model):
    agent = make_agent("ann")
    visitor = django_user_model.objects.create_user("visitor")
    assert selectors.is_agent(agent.user)
    assert not selectors.is_agent(visitor) and not selectors.is_agent(AnonymousUser())
