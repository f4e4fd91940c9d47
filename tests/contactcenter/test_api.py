"""The agent API and POST /api/interactions, through HTTP, with session and Basic auth."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from apps.contactcenter.models import AgentState, Interaction, InteractionState
from tests.conftest import assert_gms_error, basic
from tests.contactcenter.conftest import fresh

pytestmark = pytest.mark.django_db

API = "/api"


@pytest.fixture
def staff_headers(db) -> dict[str, str]:
    get_user_model().objects.create_user("boss", password="boss-secret", is_staff=True)
    return {"Authorization": basic("boss", "boss-secret")}


@pytest.fixture
def staff(staff_headers) -> Client:
    """An integration queuing work with a staff user's Basic credentials."""
    return Client(headers=staff_headers)


@pytest.fixture
def routed(django_capture_on_commit_callbacks):
    """Run after-commit work (routing, realtime) as a committed request would."""

    def _call(request, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(*args, **kwargs)

    return _call


def post_json(client, path: str, body: dict | None = None, **kwargs):
    return client.post(path, json.dumps(body or {}), content_type="application/json", **kwargs)


@pytest.mark.django_db(transaction=True)
def test_an_agent_session_from_login_to_completed_work(client, make_agent, staff):
    """Committed requests, as in production: each one's routing runs after its commit."""
    make_agent("ann", ready=False)
    client.login(username="ann", password="secret")
    assert client.post(f"{API}/agent/login").json()["state"] == "NOT_READY"
    state = client.post(f"{API}/agent/ready").json()
    assert (state["state"], state["declaredState"]) == ("READY", "READY")
    assert state["capacity"]["chat"] == {"capacity": 3, "load": 0}
    assert state["queues"] == []

    created = post_json(
        staff,
        f"{API}/interactions",
        {"media": "chat", "queue": "VQ_Sales", "priority": 2, "userData": {"name": "Bo"}},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body == {"id": body["id"], "state": "offered", "queue": "VQ_Sales"}

    work = client.get(f"{API}/agent/offers").json()
    assert work["active"] == []
    (offer,) = work["offers"]
    assert offer["id"] == body["id"] and offer["userData"] == {"name": "Bo"}
    assert offer["agent"] == "ann" and offer["offerExpiresAt"].endswith("Z")
    assert client.get(f"{API}/agent/state").json()["state"] == "BUSY"

    accepted = client.post(f"{API}/agent/interactions/{body['id']}/accept").json()
    assert accepted["state"] == "accepted"
    assert client.get(f"{API}/agent/offers").json()["active"][0]["id"] == body["id"]
    done = post_json(
        client,
        f"{API}/agent/interactions/{body['id']}/complete",
        {"disposition": "Sold"},
    ).json()
    assert (done["state"], done["disposition"]) == ("completed", "Sold")

    detail = client.get(f"{API}/agent/interactions/{body['id']}").json()
    assert [e["kind"] for e in detail["events"]] == ["queued", "offered", "accepted", "completed"]
    assert detail["events"][1]["agent"] == "ann"
    assert client.post(f"{API}/agent/logout").json()["state"] == "LOGGED_OUT"


def test_basic_auth_works_for_scripts(client, make_agent, routed):
    make_agent("bot", password="bot-secret", ready=False)
    headers = {"Authorization": basic("bot", "bot-secret")}
    response = routed(client.post, f"{API}/agent/ready", headers=headers)
    assert response.status_code == 200 and response.json()["state"] == "READY"


def test_form_bodies_nest_user_data_as_gms_does(client, staff_headers):
    response = client.post(
        f"{API}/interactions",
        "media=email&queue=VQ_Mail&userData[subject]=Hello&userData[lang]=fr",
        content_type="application/x-www-form-urlencoded",
        headers=staff_headers,
    )
    assert response.status_code == 201, response.content
    interaction = Interaction.objects.get(pk=response.json()["id"])
    assert interaction.user_data == {"subject": "Hello", "lang": "fr"}
    assert (interaction.media, interaction.state) == ("email", InteractionState.QUEUED)


@pytest.mark.parametrize("path", ["/agent/state", "/agent/offers", "/agent/interactions/1"])
def test_anonymous_callers_get_a_gms_error(client, path):
    assert_gms_error(client.get(f"{API}{path}"), 403)


def test_wrong_credentials_and_non_agents_are_refused(client, db):
    get_user_model().objects.create_user("visitor", password="pw")
    assert_gms_error(
        client.get(f"{API}/agent/state", headers={"Authorization": basic("visitor", "bad")}), 403
    )
    body = assert_gms_error(
        client.get(f"{API}/agent/state", headers={"Authorization": basic("visitor", "pw")}), 403
    )
    assert body["message"] == "User visitor is not an agent"


def test_only_staff_create_interactions(client, make_agent):
    make_agent("ann")
    headers = {"Authorization": basic("ann", "secret")}
    assert_gms_error(
        post_json(client, f"{API}/interactions", {"media": "chat", "queue": "Q"}, headers=headers),
        403,
    )
    assert_gms_error(post_json(client, f"{API}/interactions", {"media": "chat", "queue": "Q"}), 403)


@pytest.mark.parametrize(
    "body",
    [
        {"queue": "Q"},
        {"media": "fax", "queue": "Q"},
        {"media": "chat"},
        {"media": "chat", "queue": ""},
        {"media": "chat", "queue": "Q\x00"},
        {"media": "chat", "queue": "Q", "priority": 2**40},
        {"media": "chat", "queue": "Q", "priority": "high"},
        {"media": "chat", "queue": "Q", "userData": ["a"]},
        {"media": "chat", "queue": "Q", "userData": {"k": "\x00"}},
        {"media": "chat", "queue": "Q", "userData": {"k": {"deep": "\ud800"}}},
        {"media": "chat", "queue": "x" * 256},
    ],
)
def test_bad_interactions_are_400(client, staff_headers, body):
    response = client.post(
        f"{API}/interactions",
        json.dumps(body),
        content_type="application/json",
        headers=staff_headers,
    )
    assert_gms_error(response, 400)
    assert not Interaction.objects.exists()


def test_json_nested_too_deeply_is_400(client, staff_headers):
    response = client.post(
        f"{API}/interactions",
        "[" * 100_000,
        content_type="application/json",
        headers=staff_headers,
    )
    assert_gms_error(response, 400)


def test_non_finite_numbers_in_user_data_are_400(client, staff_headers):
    response = client.post(
        f"{API}/interactions",
        '{"media": "chat", "queue": "Q", "userData": {"n": NaN}}',
        content_type="application/json",
        headers=staff_headers,
    )
    assert_gms_error(response, 400)


def test_invalid_transitions_are_409(client, make_agent, staff, routed):
    make_agent("ann")
    client.login(username="ann", password="secret")
    created = routed(
        post_json, staff, f"{API}/interactions", {"media": "chat", "queue": "Q"}
    ).json()
    body = assert_gms_error(client.post(f"{API}/agent/interactions/{created['id']}/complete"), 409)
    assert "not accepted by you" in body["message"]
    client.post(f"{API}/agent/interactions/{created['id']}/accept")
    assert_gms_error(client.post(f"{API}/agent/logout"), 409)
    assert_gms_error(client.post(f"{API}/agent/interactions/{created['id']}/reject"), 409)


def test_a_reject_through_the_api_makes_the_agent_not_ready(client, make_agent, staff, routed):
    agent = make_agent("ann")
    client.login(username="ann", password="secret")
    created = routed(
        post_json, staff, f"{API}/interactions", {"media": "chat", "queue": "Q"}
    ).json()
    rejected = routed(client.post, f"{API}/agent/interactions/{created['id']}/reject").json()
    assert (rejected["state"], rejected["agent"]) == ("queued", None)
    assert fresh(agent).state == AgentState.NOT_READY


def test_interactions_of_other_agents_are_not_found(client, make_agent, staff, routed):
    make_agent("ann")
    make_agent("bob", ready=False)
    created = routed(
        post_json, staff, f"{API}/interactions", {"media": "chat", "queue": "Q"}
    ).json()
    client.login(username="bob", password="secret")
    for path in ("", "/accept", "/reject", "/complete"):
        method = client.get if not path else client.post
        assert_gms_error(method(f"{API}/agent/interactions/{created['id']}{path}"), 404)
    assert_gms_error(client.get(f"{API}/agent/interactions/99999999999999999999"), 404)


def test_unknown_paths_and_methods_answer_gms_errors(client, make_agent):
    make_agent("ann")
    client.login(username="ann", password="secret")
    assert_gms_error(client.get(f"{API}/agent/ready"), 405)
    assert_gms_error(client.get(f"{API}/agent/interactions/abc"), 404)


def test_agent_state_changes_need_a_login_first(client, make_agent):
    make_agent("ann", ready=False)
    client.login(username="ann", password="secret")
    client.post(f"{API}/agent/logout")
    body = assert_gms_error(client.post(f"{API}/agent/ready"), 409)
    assert body["message"] == "Log in first"
