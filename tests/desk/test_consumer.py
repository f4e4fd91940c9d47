"""``/desk/ws`` through the real ASGI application: who gets in, and what they hear.

Runs on whatever channel layer is configured (in memory, or Redis when GMS_REDIS_URL
is set). No pytest-asyncio: each async body runs under ``async_to_sync``, whose
sync-to-async calls run on the test's thread and see its database.
"""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from apps.contactcenter import services
from apps.contactcenter.selectors import agent_of
from apps.desk.consumers import NOT_AN_AGENT, NOT_SIGNED_IN
from gms.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")
WAIT_SECONDS = 5


def handshake_headers(user=None) -> list[tuple[bytes, bytes]]:
    """An allowed origin, and the session cookie of ``user`` signed in (sync: it writes)."""
    result = [ORIGIN]
    if user is not None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        result.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()))
    return result


def socket(headers: list[tuple[bytes, bytes]]) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, "/desk/ws", headers=headers)


async def closed_with(communicator: WebsocketCommunicator) -> int:
    connected, _ = await communicator.connect()
    assert connected  # accepted, so that the browser can read the close code
    message = await communicator.receive_output(WAIT_SECONDS)
    assert message["type"] == "websocket.close"
    return message["code"]


def ready(user) -> None:
    agent = agent_of(user)
    services.login(agent=agent)
    services.set_ready(agent=agent)


def test_an_anonymous_socket_is_closed_with_4401():
    async def scenario() -> None:
        assert await closed_with(socket(handshake_headers())) == NOT_SIGNED_IN

    async_to_sync(scenario)()


def test_a_user_who_is_not_an_agent_is_closed_with_4403(make_user):
    editor = handshake_headers(make_user("editor", agent=False))

    async def scenario() -> None:
        assert await closed_with(socket(editor)) == NOT_AN_AGENT

    async_to_sync(scenario)()


def test_a_socket_from_a_foreign_origin_is_refused(make_user):
    foreign = [(b"origin", b"http://evil.example"), *handshake_headers(make_user("ann"))[1:]]

    async def scenario() -> None:
        connected, _ = await socket(foreign).connect()
        assert not connected

    async_to_sync(scenario)()


def test_an_agent_hears_of_work_offered_to_them_and_nobody_else_does(make_user):
    ann, bob = make_user("ann", queues=["VQ_Sales"]), make_user("bob", queues=["VQ_Billing"])
    ready(ann)
    ready(bob)
    ann_headers, bob_headers = handshake_headers(ann), handshake_headers(bob)
    ann_agent = agent_of(ann)

    async def scenario() -> None:
        ann_desk, bob_desk = socket(ann_headers), socket(bob_headers)
        assert (await ann_desk.connect())[0] and (await bob_desk.connect())[0]

        interaction = await database_sync_to_async(services.enqueue)(
            media="chat", queue_name="VQ_Sales", user_data={"name": "Bo"}
        )
        event = await ann_desk.receive_json_from(WAIT_SECONDS)
        assert event["kind"] == "offered"
        assert event["interaction"]["id"] == interaction.pk
        assert event["interaction"]["userData"] == {"name": "Bo"}

        await database_sync_to_async(services.set_not_ready)(agent=ann_agent)
        event = await ann_desk.receive_json_from(WAIT_SECONDS)
        assert event["kind"] == "state"
        assert event["agent"]["state"] == "BUSY"  # holding the offer
        assert event["agent"]["declaredState"] == "NOT_READY"

        assert await bob_desk.receive_nothing(timeout=0.5)
        await ann_desk.disconnect()
        await bob_desk.disconnect()

    async_to_sync(scenario)()
