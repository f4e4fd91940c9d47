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
from apps.contactcenter.models import Interaction
from apps.node.models import NodeStatus
from apps.node.services import change_status
from tests.callback.conftest import SERVICE, future, iso

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
