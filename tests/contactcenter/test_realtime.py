"""After the commit, desks hear of offers and state changes on group ``agent.<user id>``."""

import asyncio
import logging
from unittest.mock import patch

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from apps.contactcenter import services
from apps.contactcenter.realtime import agent_group, queue_group
from apps.core.times import format_utc
from tests.contactcenter.conftest import enqueue

pytestmark = pytest.mark.django_db


def listen(group: str) -> str:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return channel


def receive(channel: str) -> dict:
    async def one() -> dict:
        return await asyncio.wait_for(get_channel_layer().receive(channel), timeout=5)

    return async_to_sync(one)()


def test_an_offer_reaches_the_agent_and_the_queue_after_the_commit(
    clock, make_agent, django_capture_on_commit_callbacks
):
    agent = make_agent("ann")
    desk = listen(agent_group(agent.user_id))
    with django_capture_on_commit_callbacks(execute=True):
        interaction = enqueue("VQ_Sales", user_data={"name": "Bo"})
    queue = listen(queue_group(interaction.queue_id))

    message = receive(desk)
    assert message["type"] == "agent.event"
    event = message["event"]
    assert event["kind"] == "offered"
    assert event["interaction"]["id"] == interaction.pk
    assert event["interaction"]["userData"] == {"name": "Bo"}
    assert event["interaction"]["state"] == "offered"
    assert event["interaction"]["agent"] == "ann"

    with django_capture_on_commit_callbacks(execute=True):
        services.abandon(interaction=interaction, reason="left")
    assert receive(desk)["event"]["kind"] == "abandoned"
    assert receive(queue) == {
        "type": "queue.event",
        "event": {
            "kind": "abandoned",
            "at": format_utc(clock.now),
            "queue": "VQ_Sales",
            "interaction": interaction.pk,
            "state": "abandoned",
        },
    }


def test_a_state_change_carries_the_agent_as_presented(
    clock, make_agent, django_capture_on_commit_callbacks
):
    agent = make_agent("ann")
    desk = listen(agent_group(agent.user_id))
    with django_capture_on_commit_callbacks(execute=True):
        services.set_not_ready(agent=agent)
    event = receive(desk)["event"]
    assert event["kind"] == "state"
    assert event["agent"]["state"] == "NOT_READY"
    assert event["agent"]["capacity"]["chat"] == {"capacity": 3, "load": 0}


def test_nothing_is_sent_when_the_transaction_rolls_back(
    clock, make_agent, django_capture_on_commit_callbacks
):
    agent = make_agent("ann", capacity={"chat": 1})
    first, second = enqueue(), enqueue()
    services.route()
    with (
        patch("apps.contactcenter.realtime.publish") as publish,
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.InvalidTransition),
    ):
        services.accept(interaction=second, agent=agent)
    publish.assert_not_called()
    with (
        patch("apps.contactcenter.realtime.publish") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.accept(interaction=first, agent=agent)
    publish.assert_called_once()


def test_a_broken_channel_layer_never_breaks_the_work(
    clock, make_agent, django_capture_on_commit_callbacks, caplog
):
    class Broken:
        async def group_send(self, group: str, message: dict) -> None:
            raise ConnectionError("redis is down")

    agent = make_agent("ann")
    with (
        patch("apps.contactcenter.realtime.get_channel_layer", return_value=Broken()),
        caplog.at_level(logging.WARNING, logger="apps.contactcenter.realtime"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        interaction = enqueue()
    interaction.refresh_from_db()
    assert interaction.state == "offered" and interaction.agent == agent
    assert "Could not publish" in caplog.text
