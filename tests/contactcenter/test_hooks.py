"""Per-source hooks: the source of an interaction hears of each step, in the same transaction."""

import pytest

from apps.contactcenter import hooks, services
from apps.contactcenter.hooks import Event
from apps.contactcenter.models import AgentCapacity, Interaction, InteractionState, QueueStats
from tests.contactcenter.conftest import enqueue, fresh, ready_agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch) -> list[tuple[str, int, str]]:
    """Register a recorder for every event of source ``crm`` (in a registry of its own).

    Each call records the event, the interaction, and its state as stored: the hook runs
    after the row is saved, inside the transaction.
    """
    monkeypatch.setattr(hooks, "_hooks", {})
    calls: list[tuple[str, int, str]] = []

    def record(event: Event):
        def hook(interaction: Interaction, now) -> None:
            stored = Interaction.objects.get(pk=interaction.pk).state
            assert stored == interaction.state
            calls.append((event.value, interaction.pk, stored))

        return hook

    for event in Event:
        hooks.register("crm", event, record(event))
    return calls


def test_every_step_reaches_the_hooks_of_its_source(clock, make_agent, heard):
    agent = make_agent("ann")
    work = enqueue(source="crm", source_id="case-1")
    enqueue(source="chat")  # another source: nobody listens
    services.route()
    services.reject(interaction=work, agent=agent)
    ready_agent(agent)
    services.route()
    services.accept(interaction=work, agent=agent)
    services.complete(interaction=work, agent=agent, disposition="done")
    assert [(event, state) for event, pk, state in heard if pk == work.pk] == [
        ("offered", "offered"),
        ("returned", "queued"),
        ("offered", "offered"),
        ("accepted", "accepted"),
        ("completed", "completed"),
    ]
    assert {pk for _, pk, _ in heard} == {work.pk}


def test_timeouts_logouts_and_abandons_are_heard(clock, make_agent, heard):
    agent = make_agent("ann")
    timed_out = enqueue(source="crm")
    services.route()
    clock.advance(services.offer_timeout().total_seconds())
    services.expire_offers()
    ready_agent(agent)
    services.route()
    services.logout(agent=agent)
    services.abandon(interaction=timed_out, reason="left")
    assert [event for event, _, _ in heard] == [
        "offered",
        "returned",  # offer timed out
        "offered",
        "returned",  # withdrawn at logout
        "abandoned",
    ]


def test_a_hook_that_raises_undoes_the_step(clock, make_agent, monkeypatch):
    monkeypatch.setattr(hooks, "_hooks", {})

    def refuse(interaction: Interaction, now) -> None:
        raise RuntimeError("the source refuses")

    hooks.register("crm", Event.ACCEPTED, refuse)
    agent = make_agent("ann")
    work = enqueue(source="crm")
    services.route()
    with pytest.raises(RuntimeError):
        services.accept(interaction=work, agent=agent)
    assert fresh(work).state == InteractionState.OFFERED
    stats = QueueStats.objects.get(queue__name="VQ_Sales")
    assert (stats.offered, stats.active) == (1, 0)
    assert AgentCapacity.objects.get(agent=agent, media="chat").load == 1


def test_registering_twice_calls_once(clock, make_agent, heard):
    hooks.register("crm", Event.OFFERED, hooks._hooks[("crm", Event.OFFERED)][0])
    make_agent("ann")
    enqueue(source="crm")
    services.route()
    assert [event for event, _, _ in heard] == ["offered"]
