"""The agent's dial outcome (issue #5): the callback's state and reason, the interaction done."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from apps.callback import services
from apps.callback.models import Callback, State
from apps.contactcenter import services as contactcenter
from apps.contactcenter.models import Interaction, InteractionState

pytestmark = pytest.mark.django_db


def agent_client(username: str = "ann") -> tuple[Client, object]:
    user = get_user_model().objects.create_user(username, password="x")
    agent = contactcenter.register_agent(user=user, queue_names=["VQ_CB"])
    contactcenter.login(agent=agent)
    contactcenter.set_ready(agent=agent)
    client = Client()
    client.force_login(user)
    return client, agent


def offer_and_accept(agent) -> Interaction:
    contactcenter.route(queue_name="VQ_CB")
    interaction = Interaction.objects.get(agent=agent, state=InteractionState.OFFERED)
    return contactcenter.accept(interaction=interaction, agent=agent)


def post_outcome(client: Client, interaction: Interaction, outcome: object):
    return client.post(
        f"/api/agent/callbacks/{interaction.pk}/outcome",
        {"outcome": outcome},
        content_type="application/json",
    )


@pytest.fixture
def worked(service, create):
    """An immediate callback, offered to and accepted by agent ann."""

    def _worked(**options: str):
        if options:
            service(**options)
        callback_id = create().json()["_id"]
        client, agent = agent_client()
        return client, agent, offer_and_accept(agent), callback_id

    return _worked


def test_connected_completes_callback_and_interaction(worked):
    client, _, interaction, _ = worked()
    response = post_outcome(client, interaction, "CONNECTED")
    assert response.status_code == 200
    assert response.json()["_callback_state"] == "COMPLETED"
    assert response.json()["_callback_reason"] == "AGENT_CONNECTED"
    interaction.refresh_from_db()
    assert interaction.state == InteractionState.COMPLETED
    assert interaction.disposition == "CONNECTED"


def test_no_answer_retries_later_until_the_last_attempt(worked):
    client, agent, interaction, callback_id = worked(
        _max_dial_attempts="2", _dial_retry_timeout="600"
    )
    response = post_outcome(client, interaction, "NO_ANSWER")
    assert response.json()["_callback_state"] == "SCHEDULED"
    callback = Callback.objects.get(pk=callback_id)
    assert (callback.due_at - callback.updated_at).total_seconds() == 600
    # The dispatcher submits it again; the second dial is the last.
    Callback.objects.filter(pk=callback_id).update(due_at=callback.updated_at)
    services.claim_due(now=timezone.now(), node="test")
    contactcenter.set_ready(agent=agent)
    second = offer_and_accept(agent)
    response = post_outcome(client, second, "BUSY")
    assert response.json()["_callback_state"] == "COMPLETED"
    assert response.json()["_callback_reason"] == "FAIL_CALL_TO_CUSTOMER"


def test_wrong_number_fails_at_once(worked):
    client, _, interaction, _ = worked()
    response = post_outcome(client, interaction, "WRONG_NUMBER")
    assert response.json()["_callback_reason"] == "FAIL_CALL_TO_CUSTOMER"


@pytest.mark.parametrize("outcome", ["", "HAPPY", 3, None, "x" * 10000])
def test_bad_outcome_is_400_and_changes_nothing(worked, outcome):
    client, _, interaction, callback_id = worked()
    assert post_outcome(client, interaction, outcome).status_code == 400
    assert Callback.objects.get(pk=callback_id).state == State.ROUTING
    interaction.refresh_from_db()
    assert interaction.state == InteractionState.ACCEPTED


def test_only_the_agent_holding_it(worked):
    _, _, interaction, _ = worked()
    other, _ = agent_client("bob")
    assert post_outcome(other, interaction, "CONNECTED").status_code == 404
    assert post_outcome(Client(), interaction, "CONNECTED").status_code == 403


def test_twice_is_a_conflict(worked):
    client, _, interaction, _ = worked()
    assert post_outcome(client, interaction, "CONNECTED").status_code == 200
    assert post_outcome(client, interaction, "CONNECTED").status_code == 409


def test_admin_cancelled_meanwhile_keeps_its_reason(worked, client, admin_headers):
    agent_http, _, interaction, callback_id = worked()
    client.post(
        "/genesys/1/admin/callback/cancel",
        {"ids": [callback_id]},
        content_type="application/json",
        headers=admin_headers,
    )
    response = post_outcome(agent_http, interaction, "CONNECTED")
    assert response.status_code == 200
    assert response.json()["_callback_reason"] == "CANCELLED_BY_ADMIN"


def test_other_media_is_400(service):
    client, agent = agent_client()
    contactcenter.enqueue(media="chat", queue_name="VQ_CB", user_data={}, source="chat")
    interaction = offer_and_accept(agent)
    assert post_outcome(client, interaction, "CONNECTED").status_code == 400
