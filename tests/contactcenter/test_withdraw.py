"""withdraw: the source takes queued work back, counted neither answered nor abandoned."""

import pytest

from apps.contactcenter import selectors, services
from apps.contactcenter.models import EventKind, InteractionState, QueueStats
from apps.contactcenter.services import InvalidTransition
from tests.contactcenter.conftest import enqueue, fresh

pytestmark = pytest.mark.django_db


def test_withdrawn_work_leaves_the_queue_without_counting_as_abandoned(clock, make_agent):
    waiting = enqueue(source="callback", source_id="cb-1")
    clock.advance(4)
    services.withdraw(interaction=waiting, reason="service paused")
    waiting = fresh(waiting)
    assert waiting.state == InteractionState.WITHDRAWN and waiting.agent is None
    event = waiting.events.last()
    assert (event.kind, event.at, event.details) == (
        EventKind.WITHDRAWN,
        clock.now,
        {"reason": "service paused"},
    )
    stats = QueueStats.objects.get(queue__name="VQ_Sales")
    assert (stats.waiting, stats.entered, stats.abandoned, stats.withdrawn) == (0, 1, 0, 1)
    snapshot = selectors.queue_snapshot("VQ_Sales", now=clock.now)
    assert (snapshot.waiting, snapshot.abandoned, snapshot.service_level) == (0, 0, None)

    # An agent who comes READY later is offered nothing; work queued anew is found.
    make_agent("ann")
    assert services.route() == []
    again = enqueue(source="callback", source_id="cb-1")
    assert selectors.find_by_source(source="callback", source_id="cb-1") == again
    assert services.route()[0] == again


@pytest.mark.parametrize("state", ["offered", "accepted", "withdrawn"])
def test_only_queued_work_can_be_withdrawn(clock, make_agent, state):
    agent = make_agent("ann")
    interaction = enqueue()
    services.route()
    if state == "accepted":
        services.accept(interaction=interaction, agent=agent)
    if state == "withdrawn":
        services.reject(interaction=interaction, agent=agent)
        services.withdraw(interaction=interaction)
    before = (fresh(interaction).state, interaction.events.count())
    with pytest.raises(InvalidTransition) as error:
        services.withdraw(interaction=interaction)
    assert error.value.status_code == 409
    assert (fresh(interaction).state, interaction.events.count()) == before
