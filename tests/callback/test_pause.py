"""Pausing a callback service (callback.md §4.1 PAUSED, §5 step 3), through the HTTP API.

A paused service still accepts callbacks: immediate ones and due scheduled ones go to
PAUSED and wait outside the contact center; the resume task queues them when the
service leaves the paused list [TEST: SuspendingCallback.java].
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.callback import services, tasks
from apps.callback.models import Callback
from apps.callback.pausing import validate_paused_services
from apps.contactcenter.models import Interaction, InteractionState, QueueStats
from apps.contactcenter.selectors import find_by_source
from apps.node.models import NodeStatus
from apps.node.services import change_status
from tests.callback.conftest import BASE_OPTIONS, SERVICE, future, iso
from tests.callback.test_lifecycle import history

NODE = "node-a"


@pytest.fixture(autouse=True)
def _node(settings) -> None:
    settings.GMS_NODE_ID = NODE


@pytest.fixture
def paused_list(configure):
    """Set the options of a paused-services list section (default GMS_Paused_Services)."""

    def _paused_list(name: str = "GMS_Paused_Services", **entries: str) -> None:
        configure({name: entries})

    return _paused_list


def _state(client, callback_id: str) -> str:
    (record,) = client.get("/genesys/1/service/callback", {"_id": callback_id}).json()
    return record["_callback_state"]


def _interactions(callback_id: str) -> int:
    return Interaction.objects.filter(source="callback", source_id=callback_id).count()


def test_immediate_and_due_callbacks_wait_paused_then_queue_when_unpaused(
    service, create, client, paused_list
) -> None:
    paused_list(**{SERVICE: "true"})
    immediate = create()
    assert immediate.status_code == 200, immediate.content
    immediate_id = immediate.json()["_id"]
    desired = future(30)
    scheduled_id = create(_desired_time=iso(desired)).json()["_id"]
    assert _state(client, scheduled_id) == "SCHEDULED"
    assert services.claim_due(now=desired - timedelta(seconds=60), node=NODE) == []
    for callback_id in (immediate_id, scheduled_id):
        assert _state(client, callback_id) == "PAUSED"
        assert _interactions(callback_id) == 0

    assert tasks.resume_paused_callbacks() == 0  # still paused
    assert _state(client, immediate_id) == "PAUSED"

    paused_list(**{SERVICE: "false"})
    assert tasks.resume_paused_callbacks() == 2
    for callback_id in (immediate_id, scheduled_id):
        assert _state(client, callback_id) == "QUEUED"
        assert _interactions(callback_id) == 1
    transitions = Callback.objects.get(pk=immediate_id).transitions.order_by("id")
    assert [t.to_state for t in transitions] == ["QUEUED", "PAUSED", "QUEUED"]
    assert tasks.resume_paused_callbacks() == 0


def test_paused_by_id_by_all_and_in_a_list_of_its_own(service, create, client, paused_list) -> None:
    service(_paused_services_id="sales-floor")
    paused_list(**{"sales-floor": "true"})
    assert _state(client, create().json()["_id"]) == "PAUSED"

    paused_list(**{"sales-floor": "false", "all": "TRUE"})
    assert _state(client, create(_customer_number="+14155550143").json()["_id"]) == "PAUSED"

    service(_paused_services_list="Night_Pause")
    paused_list(**{"all": "false"})
    paused_list("Night_Pause", **{SERVICE: "true"})
    night = create(_customer_number="+14155550144").json()["_id"]
    assert _state(client, night) == "PAUSED"
    paused_list("Night_Pause", **{SERVICE: "false", "other-service": "true"})
    assert tasks.resume_paused_callbacks() == 3
    assert _state(client, night) == "QUEUED"


def test_an_absent_or_false_list_pauses_nothing(service, create, client, paused_list) -> None:
    assert _state(client, create().json()["_id"]) == "QUEUED"
    paused_list(**{SERVICE: "false", "another": "true"})
    assert _state(client, create(_customer_number="+14155550143").json()["_id"]) == "QUEUED"


def test_delete_from_paused_completes_it_and_it_is_never_queued(
    service, create, client, paused_list
) -> None:
    paused_list(**{SERVICE: "true"})
    callback_id = create().json()["_id"]
    response = client.delete(f"/genesys/1/service/callback/{SERVICE}/{callback_id}")
    assert response.status_code == 200, response.content
    (record,) = client.get("/genesys/1/service/callback", {"_id": callback_id}).json()
    assert (record["_callback_state"], record["_callback_reason"]) == ("COMPLETED", "CANCELLED")
    paused_list(**{SERVICE: "false"})
    assert tasks.resume_paused_callbacks() == 0
    assert _interactions(callback_id) == 0


def test_a_suspended_node_resumes_nothing(service, create, paused_list) -> None:
    paused_list(**{SERVICE: "true"})
    callback_id = create().json()["_id"]
    paused_list(**{SERVICE: "false"})
    change_status(status=NodeStatus.OFFLINE, node_id=NODE)
    assert services.resume_paused(now=timezone.now(), node=NODE) == []
    assert services.resume_paused(now=timezone.now(), node="node-b") == [callback_id]


def test_the_list_holds_true_or_false_only() -> None:
    assert list(validate_paused_services("GMS_Paused_Services", {"a": "true", "b": "False"})) == []
    problems = list(validate_paused_services("GMS_Paused_Services", {"cb": "yes"}))
    assert [option for option, _ in problems] == ["cb"]


def test_a_queued_callback_is_paused_with_its_service_and_queued_afresh(
    service, create, client, paused_list, desk
) -> None:
    """QUEUED -> PAUSED -> QUEUED (§4.1): the waiting interaction is withdrawn, not
    abandoned, and the resume queues a new one, which an agent then gets."""
    callback_id = create().json()["_id"]
    first = find_by_source(source="callback", source_id=callback_id)
    paused_list(**{SERVICE: "true"})
    assert tasks.resume_paused_callbacks() == 1
    assert _state(client, callback_id) == "PAUSED"
    first.refresh_from_db()
    assert first.state == InteractionState.WITHDRAWN
    stats = QueueStats.objects.get(queue__name="VQ_CB")
    assert (stats.waiting, stats.entered, stats.abandoned, stats.withdrawn) == (0, 1, 0, 1)
    desk.ready()  # an agent is free, but nothing waits for one
    assert desk.http.get("/api/agent/offers").json()["offers"] == []
    assert tasks.resume_paused_callbacks() == 0  # still paused: nothing moves

    paused_list(**{SERVICE: "false"})
    with desk.capture() as routing:  # routing runs after the commit, as in a server
        assert tasks.resume_paused_callbacks() == 1
    assert _state(client, callback_id) == "QUEUED"
    fresh = find_by_source(source="callback", source_id=callback_id)
    assert fresh.pk != first.pk and fresh.state == InteractionState.QUEUED
    stats.refresh_from_db()
    assert (stats.waiting, stats.entered, stats.abandoned, stats.withdrawn) == (1, 2, 0, 1)
    for after_commit in routing:
        after_commit()
    assert desk.offered() == fresh.pk
    assert _state(client, callback_id) == "ROUTING"
    desk.post(f"interactions/{fresh.pk}/accept")
    record = desk.post(f"callbacks/{fresh.pk}/outcome", {"outcome": "CONNECTED"})
    assert (record["_callback_state"], record["_callback_reason"]) == (
        "COMPLETED",
        "AGENT_CONNECTED",
    )
    assert [to for _, to, _ in history(callback_id)] == [
        "QUEUED",
        "PAUSED",
        "QUEUED",
        "ROUTING",
        "COMPLETED",
    ]


def test_a_callback_offered_to_an_agent_is_not_paused(
    service, create, client, paused_list, desk
) -> None:
    callback_id = create().json()["_id"]
    desk.ready()
    offer = desk.offered()
    paused_list(**{SERVICE: "true"})
    assert tasks.resume_paused_callbacks() == 0
    assert _state(client, callback_id) == "ROUTING"
    desk.post(f"interactions/{offer}/accept")
    desk.post(f"callbacks/{offer}/outcome", {"outcome": "CONNECTED"})
    assert _state(client, callback_id) == "COMPLETED"


def test_pausing_skips_other_services_and_a_suspended_node(
    service, create, client, paused_list, configure
) -> None:
    configure({"service.cb-other": BASE_OPTIONS})
    other_id = create("cb-other").json()["_id"]
    callback_id = create(_customer_number="+14155550143").json()["_id"]
    paused_list(**{SERVICE: "true"})
    change_status(status=NodeStatus.OFFLINE, node_id=NODE)
    assert services.pause_queued(now=timezone.now(), node=NODE) == []
    assert services.pause_queued(now=timezone.now(), node="node-b") == [callback_id]
    assert _state(client, other_id) == "QUEUED"
    assert _interactions(other_id) == 1
