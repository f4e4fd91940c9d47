"""A scheduled callback reaches an agent's desk at its time under the embedded default.

One real ``gms_serve`` process (SQLite, in-memory channel layer, Celery worker and beat
as threads): the callback is booked through the GMS API a few seconds ahead, the agent
signs in at /desk/login/ and listens on the desk's WebSocket, and nothing but the
server itself (its beat's dispatcher, then routing) brings the offer.
"""

import base64
import json
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar

import pytest
import websocket

from apps.core.times import format_utc, parse_utc
from tests.embedded import EmbeddedNode

pytestmark = pytest.mark.slow

AGENT = "ann"
PASSWORD = "an-agent-password"
NUMBER = "+14155550142"
SERVICE_INI = """
[service.cb-e2e]
_type=builtin
_service=callback
_default_country=US
_urs_virtual_queue=VQ_CB
_request_execution_time_buffer=0
"""
AHEAD = timedelta(seconds=4)
# The dispatcher's beat period, and how late after its time the offer may come.
DISPATCH_SECONDS = 1
LATE = timedelta(seconds=6)


@pytest.fixture
def node(tmp_path):
    server = EmbeddedNode(
        tmp_path,
        GMS_CALLBACK_DISPATCH_SECONDS=str(DISPATCH_SECONDS),
        GMS_OFFER_TIMEOUT_SECONDS="300",
    )
    try:
        (tmp_path / "callback.ini").write_text(SERVICE_INI)
        server.manage("gms_config", "load", str(tmp_path / "callback.ini"))
        server.manage("gms_agent", "add", AGENT, "--password", PASSWORD, "--queues", "VQ_CB")
        yield server
    finally:
        server.stop()


def call(url: str, body: dict | None = None, *, agent: bool = False) -> dict:
    """POST a JSON body (or an empty one), or GET; the agent's Basic credentials if asked."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET")
    request.add_header("Content-Type", "application/json")
    if agent:
        token = base64.b64encode(f"{AGENT}:{PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def desk_cookie(base: str) -> str:
    """Sign in at /desk/login/ as the desk page does; the Cookie header of that session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/desk/login/", timeout=10) as response:
        response.read()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = {"username": AGENT, "password": PASSWORD, "csrfmiddlewaretoken": token}
    with opener.open(
        f"{base}/desk/login/", urllib.parse.urlencode(form).encode(), timeout=10
    ) as response:
        assert response.url == f"{base}/desk/", "the desk sign-in did not take"
    assert any(cookie.name == "sessionid" for cookie in jar)
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def offered(socket: websocket.WebSocket, deadline: datetime) -> tuple[dict, datetime]:
    """The first ``offered`` event of the desk socket, and when it came; fail at ``deadline``."""
    while (left := (deadline - datetime.now(UTC)).total_seconds()) > 0:
        socket.settimeout(left)
        try:
            event = json.loads(socket.recv())
        except websocket.WebSocketTimeoutException:
            break
        if event.get("kind") == "offered":
            return event, datetime.now(UTC)
    raise AssertionError("the desk was offered nothing by the deadline")


def test_a_scheduled_callback_rings_the_agents_desk_at_its_time(node):
    for step in ("login", "ready"):
        assert call(f"{node.base}/api/agent/{step}", {}, agent=True)["state"] in (
            "NOT_READY",
            "READY",
        )
    socket = websocket.create_connection(
        f"ws://127.0.0.1:{node.port}/desk/ws",
        cookie=desk_cookie(node.base),
        origin=node.base,
        timeout=10,
    )
    try:
        desired = datetime.now(UTC) + AHEAD
        booked = call(
            f"{node.base}/genesys/1/service/callback/cb-e2e",
            {"_customer_number": NUMBER, "_desired_time": format_utc(desired), "first": "Ana"},
        )
        event, rang_at = offered(socket, desired + LATE)
    finally:
        socket.close()

    interaction = event["interaction"]
    assert (interaction["media"], interaction["source"]) == ("callback", "callback")
    assert interaction["userData"]["_id"] == booked["_id"]
    assert interaction["userData"]["_customer_number"] == NUMBER
    assert interaction["userData"]["first"] == "Ana"
    # Not before its time (no execution buffer), and within a few dispatcher ticks of it.
    desired = parse_utc(format_utc(desired))
    assert desired <= parse_utc(interaction["offeredAt"]) <= rang_at, (interaction, node.output())
    # The agent API, the desk's source of truth, shows the same offer.
    work = call(f"{node.base}/api/agent/offers", agent=True)
    assert [offer["userData"]["_id"] for offer in work["offers"]] == [booked["_id"]]
    record = call(f"{node.base}/genesys/1/service/callback?_id={booked['_id']}")
    assert record[0]["_callback_state"] != "SCHEDULED"
