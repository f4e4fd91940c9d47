"""The pluggable dialer: the desk by default, or a webhook to a telephony system (a real
local HTTP server here) that retries, gives up, and reports the outcome with its token."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest.mock import patch
from urllib.parse import urlsplit

import pytest
from django.test import Client

from apps.callback import dialer
from apps.contactcenter.models import AgentCapacity, Interaction, InteractionState
from apps.core.config import ConfigError
from gms.celery import app as celery_app
from tests.callback.conftest import NUMBER
from tests.callback.test_lifecycle import RETAIN, history, state_of

pytestmark = pytest.mark.django_db

PUBLIC_URL = "http://gms.example:8080"


class Telephony(ThreadingHTTPServer):
    """Answers each dial request with the next of ``statuses`` (the last one repeats)."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.statuses = [200]
        self.requests: list[dict] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/dial"


class _Handler(BaseHTTPRequestHandler):
    server: Telephony

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        self.server.requests.append(
            {
                "path": self.path,
                "type": self.headers["Content-Type"],
                "body": json.loads(self.rfile.read(length)),
            }
        )
        statuses = self.server.statuses
        self.send_response(statuses.pop(0) if len(statuses) > 1 else statuses[0])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def telephony() -> Iterator[Telephony]:
    server = Telephony()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def eager(settings) -> Iterator[None]:
    """Celery runs tasks in the caller, retries at once (an eager retry is run by apply(),
    which needs task_eager_propagates off, the default)."""
    settings.GMS_PUBLIC_URL = PUBLIC_URL
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = saved


@pytest.fixture
def accepted(service, create, desk, telephony, eager):
    """A callback of a webhook service, accepted by ann; returns (callback id, interaction id)."""

    def _accepted(**options: str) -> tuple[str, int]:
        service(_dialer="webhook", _dialer_url=telephony.url, **options)
        callback_id = create().json()["_id"]
        desk.ready()
        offer = desk.offered()
        desk.post(f"interactions/{offer}/accept")
        return callback_id, offer

    return _accepted


def report(outcome_url: str, outcome: str = "CONNECTED"):
    """The telephony system posts the outcome to the URL it was given, with no credentials."""
    assert outcome_url.startswith(PUBLIC_URL + "/api/agent/callbacks/")
    parts = urlsplit(outcome_url)
    return Client().post(
        f"{parts.path}?{parts.query}", {"outcome": outcome}, content_type="application/json"
    )


def test_accepting_posts_the_dial_and_telephony_reports_the_outcome(accepted, telephony, client):
    callback_id, interaction_id = accepted(**RETAIN)
    (dial,) = telephony.requests
    assert dial["path"] == "/dial" and dial["type"] == "application/json"
    body = dial["body"]
    assert {key: body[key] for key in ("_id", "_service_name", "_customer_number")} == {
        "_id": callback_id,
        "_service_name": "cb-sales",
        "_customer_number": NUMBER,
    }
    assert body["_desired_time"].endswith("Z")
    assert (body["agent"], body["interaction"], body["attempt"]) == ("ann", interaction_id, 1)
    assert body["outcomes"] == ["CONNECTED", "NO_ANSWER", "BUSY", "WRONG_NUMBER"]
    assert state_of(client, callback_id) == ("PROCESSING", None)

    response = report(body["outcomeUrl"])
    assert response.status_code == 200, response.content
    assert (response.json()["_callback_state"], response.json()["_callback_reason"]) == (
        "COMPLETED",
        "AGENT_CONNECTED",
    )
    # The token is spent with its interaction.
    assert report(body["outcomeUrl"]).status_code == 409


def test_a_failing_telephony_system_exhausts_the_attempts(accepted, telephony, client, desk):
    telephony.statuses = [500]
    with patch.object(dialer.dial, "retry", wraps=dialer.dial.retry) as retry:
        callback_id, interaction_id = accepted(**RETAIN)
    assert [request["body"]["attempt"] for request in telephony.requests] == [1, 2, 3]
    assert [call.kwargs["countdown"] for call in retry.call_args_list] == [5, 15]
    assert state_of(client, callback_id) == ("COMPLETED", "FAIL_ERROR")
    assert history(callback_id)[-1] == ("PROCESSING", "COMPLETED", "FAIL_ERROR")
    interaction = Interaction.objects.get(pk=interaction_id)
    assert (interaction.state, interaction.disposition) == (
        InteractionState.COMPLETED,
        "DIAL_FAILED",
    )
    assert AgentCapacity.objects.get(agent=desk.agent, media="callback").load == 0


def test_attempts_are_configurable_and_a_later_one_may_succeed(accepted, telephony, client):
    telephony.statuses = [503, 302, 204]
    callback_id, _ = accepted(_dialer_attempts="5")
    assert [request["body"]["attempt"] for request in telephony.requests] == [1, 2, 3]
    assert state_of(client, callback_id) == ("ROUTING", None)  # waits for the outcome


def test_an_unreachable_telephony_system_fails_the_dial(service, create, desk, eager, client):
    closed = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    url = f"http://127.0.0.1:{closed.server_address[1]}/dial"
    closed.server_close()
    service(_dialer="webhook", _dialer_url=url, _dialer_attempts="1")
    callback_id = create().json()["_id"]
    desk.ready()
    desk.post(f"interactions/{desk.offered()}/accept")
    assert state_of(client, callback_id) == ("COMPLETED", "FAIL_ERROR")


def test_the_desk_dialer_sends_nothing(service, create, desk, telephony, eager, client):
    service(_dialer_url=telephony.url)  # no _dialer: the desk
    callback_id = create().json()["_id"]
    desk.ready()
    offer = desk.offered()
    desk.post(f"interactions/{offer}/accept")
    assert telephony.requests == []
    desk.post(f"callbacks/{offer}/outcome", {"outcome": "CONNECTED"})
    assert state_of(client, callback_id) == ("COMPLETED", "AGENT_CONNECTED")


def test_a_callback_cancelled_before_the_dial_is_not_dialled(
    service, create, desk, telephony, eager, client, django_capture_on_commit_callbacks
):
    service(_dialer="webhook", _dialer_url=telephony.url)
    callback_id = create().json()["_id"]
    desk.ready()
    offer = desk.offered()
    with django_capture_on_commit_callbacks() as pending:
        desk.http.post(f"/api/agent/interactions/{offer}/accept")
    assert client.delete(f"/genesys/1/service/callback/cb-sales/{callback_id}").status_code == 200
    for run in pending:
        run()
    assert telephony.requests == []
    interaction = Interaction.objects.get(pk=offer)
    assert (interaction.state, interaction.disposition) == (InteractionState.COMPLETED, "CANCELLED")
    assert state_of(client, callback_id) == ("COMPLETED", "CANCELLED")


def test_only_the_token_of_that_interaction_stands_for_the_agent(accepted, telephony):
    _, interaction_id = accepted()
    outcome_url = telephony.requests[0]["body"]["outcomeUrl"]
    path = f"/api/agent/callbacks/{interaction_id}/outcome"
    other = dialer.outcome_token(interaction_id + 1)
    for query in ("", "?token=forged", f"?token={outcome_url[-10:]}", f"?token={other}"):
        response = Client().post(f"{path}{query}", {"outcome": "CONNECTED"})
        assert response.status_code == 403, query
    assert report(outcome_url).status_code == 200


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"_dialer": "fax"}, "_dialer"),
        ({"_dialer": "webhook"}, "_dialer_url"),
        ({"_dialer_url": "ftp://telephony/dial"}, "_dialer_url"),
        ({"_dialer_url": "http:///dial"}, "_dialer_url"),
        ({"_dialer_attempts": "0"}, "_dialer_attempts"),
        ({"_dialer_attempts": "three"}, "_dialer_attempts"),
    ],
)
def test_bad_dialer_options_are_refused_on_save(service, options, problem):
    with pytest.raises(ConfigError, match=problem):
        service(**options)
