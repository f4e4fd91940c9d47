"""Accept, complete, abandon; invalid transitions; the event log; counters equal a recount."""

import random

import pytest

from apps.contactcenter import selectors, services
from apps.contactcenter.models import (
    MAX_NAME_LENGTH,
    AgentCapacity,
    AgentState,
    AppendOnlyError,
    EventKind,
    Interaction,
    InteractionEvent,
    InteractionState,
    QueueStats,
    VirtualQueue,
)
from apps.contactcenter.services import HANDLE_TIME_SMOOTHING, InvalidTransition
from apps.core.errors import BadRequest
from tests.contactcenter.conftest import enqueue, fresh

pytestmark = pytest.mark.django_db


def stats_of(name: str = "VQ_Sales") -> QueueStats:
    return QueueStats.objects.get(queue__name=name)


def test_accept_then_complete_updates_counters_and_handle_time(clock, make_agent):
    agent = make_agent("ann")
    interaction = enqueue()
    services.route()
    clock.advance(5)
    services.accept(interaction=interaction, agent=agent)
    stats = stats_of()
    assert (stats.offered, stats.active, stats.answered, stats.answered_in_service_level) == (
        0,
        1,
        1,
        1,
    )
    clock.advance(100)
    done = services.complete(interaction=interaction, agent=agent, disposition="Sold")
    assert done.state == InteractionState.COMPLETED and done.disposition == "Sold"
    assert AgentCapacity.objects.get(agent=agent, media="chat").load == 0
    assert fresh(agent).idle_since == clock.now
    stats = stats_of()
    assert (stats.active, stats.completed) == (0, 1)
    assert stats.handle_seconds_total == pytest.approx(100)
    assert stats.average_handle_seconds == pytest.approx(100)  # the first sets the average

    second = enqueue()
    services.route()
    services.accept(interaction=second, agent=agent)
    clock.advance(200)
    services.complete(interaction=second, agent=agent)
    stats = stats_of()
    assert stats.handle_seconds_total == pytest.approx(300)
    assert stats.average_handle_seconds == pytest.approx(100 + HANDLE_TIME_SMOOTHING * 100)


def test_answering_after_the_service_level_does_not_count_in_it(clock, make_agent, settings):
    settings.GMS_OFFER_TIMEOUT_SECONDS = 60
    agent = make_agent("ann")
    VirtualQueue.objects.create(name="VQ_Fast", service_level_seconds=10)
    interaction = enqueue("VQ_Fast")
    services.route()
    clock.advance(11)
    services.accept(interaction=interaction, agent=agent)
    stats = stats_of("VQ_Fast")
    assert (stats.answered, stats.answered_in_service_level) == (1, 0)


def test_abandon_while_queued_or_offered(clock, make_agent):
    waiting = enqueue()
    services.abandon(interaction=waiting, reason="customer left")
    waiting = fresh(waiting)
    assert waiting.state == InteractionState.ABANDONED and waiting.abandoned_at == clock.now
    assert waiting.events.last().details == {"reason": "customer left"}

    agent = make_agent("ann", capacity={"chat": 1})
    ringing = enqueue()
    services.route()
    services.abandon(interaction=ringing)
    assert fresh(ringing).agent is None
    assert AgentCapacity.objects.get(agent=agent, media="chat").load == 0
    assert fresh(agent).state == AgentState.READY  # the agent did nothing wrong
    assert ringing.events.last().agent == agent
    stats = stats_of()
    assert (stats.waiting, stats.offered, stats.abandoned) == (0, 0, 2)


@pytest.mark.parametrize(
    "action",
    [
        "accept_other",
        "accept_twice",
        "accept_late",
        "complete_offered",
        "reject_accepted",
        "abandon_accepted",
        "complete_twice",
    ],
)
def test_invalid_transitions_are_refused_and_change_nothing(clock, make_agent, action):
    agent = make_agent("ann")
    other = make_agent("bob", ready=False)
    interaction = enqueue()
    services.route()
    if action not in ("accept_other", "accept_late", "complete_offered"):
        services.accept(interaction=interaction, agent=agent)
    if action == "complete_twice":
        services.complete(interaction=interaction, agent=agent)
    before = (fresh(interaction).state, InteractionEvent.objects.count())
    attempts = {
        "accept_other": lambda: services.accept(interaction=interaction, agent=other),
        "accept_twice": lambda: services.accept(interaction=interaction, agent=agent),
        "accept_late": lambda: (
            clock.advance(30),
            services.accept(interaction=interaction, agent=agent),
        ),
        "complete_offered": lambda: services.complete(interaction=interaction, agent=agent),
        "reject_accepted": lambda: services.reject(interaction=interaction, agent=agent),
        "abandon_accepted": lambda: services.abandon(interaction=interaction),
        "complete_twice": lambda: services.complete(interaction=interaction, agent=agent),
    }
    with pytest.raises(InvalidTransition) as error:
        attempts[action]()
    assert error.value.status_code == 409
    assert (fresh(interaction).state, InteractionEvent.objects.count()) == before


@pytest.mark.parametrize("note", ["x" * (MAX_NAME_LENGTH + 1), "bad\x00note"])
def test_an_unstorable_disposition_or_reason_is_400_and_changes_nothing(clock, make_agent, note):
    agent = make_agent("ann")
    interaction = enqueue()
    services.route()
    services.accept(interaction=interaction, agent=agent)
    queued = enqueue()
    before = InteractionEvent.objects.count()
    with pytest.raises(BadRequest):
        services.complete(interaction=interaction, agent=agent, disposition=note)
    with pytest.raises(BadRequest):
        services.abandon(interaction=queued, reason=note)
    with pytest.raises(BadRequest):
        services.withdraw(interaction=queued, reason=note)
    assert fresh(interaction).state == InteractionState.ACCEPTED
    assert fresh(queued).state == InteractionState.QUEUED
    assert InteractionEvent.objects.count() == before


def test_agent_state_changes_need_a_login(clock, make_agent):
    agent = make_agent("ann", ready=False)
    services.logout(agent=agent)
    for change in (services.set_ready, services.set_not_ready):
        with pytest.raises(InvalidTransition, match="Log in first"):
            change(agent=agent)
    services.login(agent=agent)
    services.login(agent=agent)  # again: nothing changes
    assert fresh(agent).state == AgentState.NOT_READY
    clock.advance(3)
    services.set_ready(agent=agent)
    agent = fresh(agent)
    assert agent.state == AgentState.READY
    assert agent.state_since == agent.idle_since == clock.now


def test_the_event_log_is_append_only():
    interaction = enqueue()
    event = interaction.events.get()
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        InteractionEvent.objects.filter(pk=event.pk).update(kind="offered")
    with pytest.raises(AppendOnlyError):
        InteractionEvent.objects.all().delete()


def test_the_event_log_tells_the_whole_story(clock, make_agent):
    ann = make_agent("ann")
    clock.advance(1)
    bob = make_agent("bob")
    interaction = enqueue()
    services.route()
    services.reject(interaction=interaction, agent=ann)
    services.route()
    clock.advance(2)
    services.accept(interaction=interaction, agent=bob)
    clock.advance(3)
    services.complete(interaction=interaction, agent=bob, disposition="Done")
    story = [(e.kind, e.agent) for e in selectors.interaction_history(interaction)]
    assert story == [
        (EventKind.QUEUED, None),
        (EventKind.OFFERED, ann),
        (EventKind.REJECTED, ann),
        (EventKind.OFFERED, bob),
        (EventKind.ACCEPTED, bob),
        (EventKind.COMPLETED, bob),
    ]
    completed = interaction.events.last()
    assert completed.details == {"disposition": "Done", "handleSeconds": 3.0}


def recount(queue: VirtualQueue) -> dict:
    """The counters rebuilt from the rows: the one place a scan is right."""
    rows = list(Interaction.objects.filter(queue=queue))
    by_state = {state: sum(i.state == state for i in rows) for state in InteractionState.values}
    answered = [i for i in rows if i.accepted_at]
    completions = InteractionEvent.objects.filter(
        interaction__queue=queue, kind=EventKind.COMPLETED
    ).order_by("id")
    average, total = 0.0, 0.0
    for count, event in enumerate(completions):
        seconds = event.details["handleSeconds"]
        total += seconds
        average = seconds if count == 0 else average + HANDLE_TIME_SMOOTHING * (seconds - average)
    return {
        "waiting": by_state["queued"],
        "offered": by_state["offered"],
        "active": by_state["accepted"],
        "entered": len(rows),
        "answered": len(answered),
        "answered_in_service_level": sum(
            (i.accepted_at - i.queued_at).total_seconds() <= queue.service_level_seconds
            for i in answered
        ),
        "completed": by_state["completed"],
        "abandoned": by_state["abandoned"],
        "withdrawn": by_state["withdrawn"],
        "handle_seconds_total": pytest.approx(total),
        "average_handle_seconds": pytest.approx(average),
    }


def test_counters_equal_a_recount_after_random_work(clock, make_agent):
    rng = random.Random(4)
    agents = [make_agent(f"agent{n}", capacity={"chat": 2, "email": 1}) for n in range(4)]
    for _ in range(200):
        clock.advance(rng.uniform(0, 8))
        step = rng.random()
        if step < 0.3:
            enqueue(
                rng.choice(["VQ_A", "VQ_B"]),
                media=rng.choice(["chat", "email"]),
                priority=rng.randint(0, 2),
            )
        elif step < 0.4:
            waiting = Interaction.objects.filter(
                state__in=[InteractionState.QUEUED, InteractionState.OFFERED]
            ).first()
            if waiting:
                services.abandon(interaction=waiting)
        elif step < 0.42:
            waiting = Interaction.objects.filter(state=InteractionState.QUEUED).last()
            if waiting:
                services.withdraw(interaction=waiting, reason="paused")
        elif step < 0.45:
            services.expire_offers()
        else:
            agent = rng.choice(agents)
            held = (
                Interaction.objects.filter(agent=agent)
                .exclude(state=InteractionState.COMPLETED)
                .first()
            )
            if held is None:
                if fresh(agent).state != AgentState.READY:
                    services.set_ready(agent=agent)
            elif held.state == InteractionState.OFFERED:
                if rng.random() < 0.15:
                    services.reject(interaction=held, agent=agent)
                elif clock.now < held.offer_expires_at:
                    services.accept(interaction=held, agent=agent)
            else:
                services.complete(interaction=held, agent=agent)
        services.route()
    for queue in VirtualQueue.objects.all():
        stats = QueueStats.objects.get(queue=queue)
        counted = {name: getattr(stats, name) for name in recount(queue)}
        assert counted == recount(queue), queue.name
    # The walk went through every transition, not just the happy path.
    kinds = set(InteractionEvent.objects.values_list("kind", flat=True))
    assert kinds == set(EventKind.values) - {EventKind.OFFER_WITHDRAWN}
    for capacity in AgentCapacity.objects.all():
        held = Interaction.objects.filter(
            agent=capacity.agent,
            media=capacity.media,
            state__in=[InteractionState.OFFERED, InteractionState.ACCEPTED],
        ).count()
        assert capacity.load == held <= capacity.capacity
