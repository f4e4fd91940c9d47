"""Routing: priority then age, to the longest-idle eligible READY agent with capacity left."""

import pytest

from apps.contactcenter import services
from apps.contactcenter.models import (
    AgentCapacity,
    AgentState,
    EventKind,
    InteractionState,
    VirtualQueue,
)
from tests.contactcenter.conftest import enqueue, fresh

pytestmark = pytest.mark.django_db


def test_enqueue_creates_the_queue_and_its_counters_on_first_use(clock):
    interaction = enqueue("VQ_New", priority=3, user_data={"customer": "Ann"})
    queue = VirtualQueue.objects.get(name="VQ_New")
    assert interaction.state == InteractionState.QUEUED
    assert interaction.queued_at == clock.now
    assert queue.service_level_seconds == 20
    assert (queue.stats.waiting, queue.stats.entered) == (1, 1)
    assert list(interaction.events.values_list("kind", flat=True)) == [EventKind.QUEUED]


def test_higher_priority_goes_first_then_the_oldest(clock, make_agent):
    old_low = enqueue(priority=0)
    clock.advance(1)
    new_high = enqueue(priority=5)
    clock.advance(1)
    older_high = enqueue(priority=5)  # same priority, queued later than new_high
    agent = make_agent("ann", capacity={"chat": 1})

    assert services.route() == [new_high]
    services.complete(interaction=services.accept(interaction=new_high, agent=agent), agent=agent)
    assert services.route() == [older_high]
    services.complete(interaction=services.accept(interaction=older_high, agent=agent), agent=agent)
    assert services.route() == [old_low]


def test_the_longest_idle_ready_agent_gets_the_offer(clock, make_agent):
    first = make_agent("first")
    clock.advance(5)
    second = make_agent("second")
    clock.advance(5)
    a = enqueue()
    services.route()
    assert fresh(a).agent == first
    clock.advance(1)
    b = enqueue()
    services.route()
    assert fresh(b).agent == second  # first just received work: second is idle longer
    clock.advance(1)
    c = enqueue()
    services.route()
    assert fresh(c).agent == first  # several chats at once: offers go round-robin
    assert a.events.get(kind=EventKind.OFFERED).agent == first


def test_an_agent_who_finishes_work_goes_to_the_back_of_the_line(clock, make_agent):
    ann = make_agent("ann", capacity={"voice": 1})
    clock.advance(1)
    bob = make_agent("bob", capacity={"voice": 1})
    clock.advance(1)
    call = enqueue(media="voice")
    services.route()
    assert fresh(call).agent == ann
    services.complete(interaction=services.accept(interaction=call, agent=ann), agent=ann)
    clock.advance(1)
    assert fresh(enqueue(media="voice")).state == InteractionState.QUEUED
    (offer,) = services.route()
    assert offer.agent == bob


def test_capacity_is_per_media(clock, make_agent):
    agent = make_agent("ann", capacity={"chat": 2, "email": 1})
    chats = [enqueue(media="chat") for _ in range(3)]
    emails = [enqueue(media="email") for _ in range(2)]
    offers = services.route()
    assert sorted(o.pk for o in offers) == sorted(i.pk for i in [*chats[:2], emails[0]])
    load = dict(agent.capacities.values_list("media", "load"))
    assert load["chat"] == 2 and load["email"] == 1
    assert fresh(chats[2]).state == fresh(emails[1]).state == InteractionState.QUEUED


def test_work_no_agent_can_take_does_not_hold_up_other_media(clock, make_agent):
    make_agent("ann", capacity={"chat": 1, "email": 0})
    email = enqueue(media="email", priority=9)
    chat = enqueue(media="chat")
    assert services.route() == [chat]
    assert fresh(email).state == InteractionState.QUEUED


def test_agents_serve_their_queues_only_and_no_queues_means_all(clock, make_agent):
    sales = make_agent("sales", queues=["VQ_Sales"])
    clock.advance(1)
    anyone = make_agent("anyone")
    clock.advance(1)
    support = enqueue("VQ_Support")
    sale = enqueue("VQ_Sales")
    services.route()
    assert fresh(support).agent == anyone
    assert fresh(sale).agent == sales


def test_route_by_queue_leaves_other_queues_alone(clock, make_agent):
    make_agent("ann")
    other = enqueue("VQ_Other")
    mine = enqueue("VQ_Mine")
    assert services.route(queue_name="VQ_Mine") == [mine]
    assert fresh(other).state == InteractionState.QUEUED
    assert services.route(queue_name="VQ_Unknown") == []


def test_not_ready_and_logged_out_agents_get_nothing(clock, make_agent):
    make_agent("away", ready=False)
    interaction = enqueue()
    assert services.route() == []
    assert fresh(interaction).state == InteractionState.QUEUED


def test_an_offer_holds_a_slot_and_names_its_agent(clock, make_agent, settings):
    settings.GMS_OFFER_TIMEOUT_SECONDS = 12
    agent = make_agent("ann")
    interaction = enqueue()
    services.route()
    interaction = fresh(interaction)
    assert interaction.state == InteractionState.OFFERED
    assert interaction.agent == agent
    assert interaction.offered_at == clock.now
    assert (interaction.offer_expires_at - clock.now).total_seconds() == 12
    assert AgentCapacity.objects.get(agent=agent, media="chat").load == 1
    stats = interaction.queue.stats
    stats.refresh_from_db()
    assert (stats.waiting, stats.offered) == (0, 1)


def test_an_unanswered_offer_returns_to_the_queue_and_its_agent_becomes_not_ready(
    clock, make_agent, settings
):
    settings.GMS_OFFER_TIMEOUT_SECONDS = 30
    absent = make_agent("absent")
    clock.advance(1)
    present = make_agent("present")
    interaction = enqueue(priority=4)
    queued_at = interaction.queued_at
    services.route()
    assert fresh(interaction).agent == absent

    clock.advance(29)
    assert services.expire_offers() == []
    clock.advance(1)
    (expired,) = services.expire_offers()
    interaction = fresh(interaction)
    assert expired.pk == interaction.pk
    assert interaction.state == InteractionState.QUEUED
    assert (interaction.priority, interaction.queued_at) == (4, queued_at)
    assert interaction.agent is None and interaction.offer_expires_at is None
    assert fresh(absent).state == AgentState.NOT_READY
    assert AgentCapacity.objects.get(agent=absent, media="chat").load == 0
    timed_out = interaction.events.get(kind=EventKind.OFFER_TIMED_OUT)
    assert timed_out.agent == absent

    # Routed again, to the other agent only.
    services.route()
    assert fresh(interaction).agent == present


def test_expire_offers_task_expires_then_routes(clock, make_agent):
    from apps.contactcenter.tasks import expire_offers

    absent = make_agent("absent")
    clock.advance(1)
    interaction = enqueue()
    services.route()
    clock.advance(1)
    other = make_agent("other")
    clock.advance(60)
    assert expire_offers.apply().get() == 1
    assert fresh(interaction).agent == other
    assert fresh(absent).state == AgentState.NOT_READY


def test_a_rejected_offer_returns_to_the_queue_and_its_agent_becomes_not_ready(clock, make_agent):
    picky = make_agent("picky")
    clock.advance(1)
    interaction = enqueue()
    services.route()
    services.reject(interaction=interaction, agent=picky)
    interaction = fresh(interaction)
    assert interaction.state == InteractionState.QUEUED and interaction.agent is None
    assert fresh(picky).state == AgentState.NOT_READY
    assert services.route() == []  # not offered to the same agent again at once
    services.set_ready(agent=picky)
    assert services.route() == [interaction]  # back to READY: may get it again
    kinds = list(interaction.events.values_list("kind", flat=True))
    assert kinds == ["queued", "offered", "rejected", "offered"]


def test_logout_withdraws_offers_and_is_refused_with_accepted_work(clock, make_agent):
    agent = make_agent("ann", capacity={"chat": 2})
    first, second = enqueue(), enqueue()
    services.route()
    services.accept(interaction=first, agent=agent)
    with pytest.raises(services.InvalidTransition, match="Complete your 1 accepted"):
        services.logout(agent=agent)
    assert fresh(second).state == InteractionState.OFFERED  # the refusal changed nothing
    services.complete(interaction=first, agent=agent)
    services.logout(agent=agent)
    assert fresh(agent).state == AgentState.LOGGED_OUT
    second = fresh(second)
    assert second.state == InteractionState.QUEUED
    assert second.events.last().kind == EventKind.OFFER_WITHDRAWN
    assert services.route() == []


def test_routing_runs_after_the_commit_of_enqueue_ready_and_complete(
    clock, make_agent, django_capture_on_commit_callbacks
):
    agent = make_agent("ann", capacity={"chat": 1}, ready=False)
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue()
        second = enqueue()
    assert fresh(first).state == InteractionState.QUEUED
    with django_capture_on_commit_callbacks(execute=True):
        services.set_ready(agent=agent)
    assert fresh(first).state == InteractionState.OFFERED
    services.accept(interaction=first, agent=agent)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete(interaction=first, agent=agent)
    assert fresh(second).state == InteractionState.OFFERED
