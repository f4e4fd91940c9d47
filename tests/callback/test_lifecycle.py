"""The callback follows its interaction (callback.md §4.1): ROUTING while an agent is
reserved, back to QUEUED when the offer is rejected or times out, PROCESSING once accepted
with ``_retain_session_until_ixn_deleted=true``, COMPLETED by the dial outcome. Driven
through the GMS API and the agent API."""

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from functools import partial

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from apps.callback import lifecycle, services
from apps.callback.models import Callback, CallbackTransition
from apps.callback.tasks import reconcile_callbacks
from apps.contactcenter import services as contactcenter
from apps.contactcenter.models import AgentCapacity, Interaction, InteractionState
from apps.core.config import ConfigError
from apps.core.errors import GMSError

pytestmark = pytest.mark.django_db

RETAIN = {"_retain_session_until_ixn_deleted": "true"}


def state_of(client: Client, callback_id: str) -> tuple[str, str | None]:
    (record,) = client.get(f"/genesys/1/service/callback?_id={callback_id}").json()
    return record["_callback_state"], record.get("_callback_reason")


def history(callback_id: str) -> list[tuple[str, str, str]]:
    return list(
        CallbackTransition.objects.filter(callback_id=callback_id).values_list(
            "from_state", "to_state", "reason"
        )
    )


def test_offer_reject_offer_accept_connect(service, create, client, desk):
    service(**RETAIN)
    callback_id = create().json()["_id"]
    assert state_of(client, callback_id) == ("QUEUED", None)

    desk.ready()
    first = desk.offered()
    assert state_of(client, callback_id) == ("ROUTING", None)
    desk.post(f"interactions/{first}/reject")
    assert state_of(client, callback_id) == ("QUEUED", None)

    desk.ready()
    offer = desk.offered()
    assert offer == first  # the same interaction, offered again
    assert state_of(client, callback_id) == ("ROUTING", None)
    desk.post(f"interactions/{offer}/accept")
    assert state_of(client, callback_id) == ("PROCESSING", None)
    # PROCESSING cannot be cancelled (§3.2).
    assert client.delete(f"/genesys/1/service/callback/cb-sales/{callback_id}").status_code == 400

    record = desk.post(f"callbacks/{offer}/outcome", {"outcome": "CONNECTED"})
    assert (record["_callback_state"], record["_callback_reason"]) == (
        "COMPLETED",
        "AGENT_CONNECTED",
    )
    assert history(callback_id) == [
        ("", "QUEUED", ""),
        ("QUEUED", "ROUTING", ""),
        ("ROUTING", "QUEUED", ""),
        ("QUEUED", "ROUTING", ""),
        ("ROUTING", "PROCESSING", ""),
        ("PROCESSING", "COMPLETED", "AGENT_CONNECTED"),
    ]


def test_without_retained_session_it_stays_routing_until_the_outcome(service, create, client, desk):
    callback_id = create().json()["_id"]
    desk.ready()
    offer = desk.offered()
    desk.post(f"interactions/{offer}/accept")
    assert state_of(client, callback_id) == ("ROUTING", None)
    assert lifecycle.reconcile(now=timezone.now()) == []  # ROUTING agrees with accepted work
    desk.post(f"callbacks/{offer}/outcome", {"outcome": "CONNECTED"})
    assert state_of(client, callback_id) == ("COMPLETED", "AGENT_CONNECTED")
    assert history(callback_id)[-1] == ("ROUTING", "COMPLETED", "AGENT_CONNECTED")


def test_an_offer_timing_out_or_withdrawn_at_logout_queues_it_again(service, create, client, desk):
    callback_id = create().json()["_id"]
    desk.ready()
    desk.offered()
    contactcenter.expire_offers(now=timezone.now() + timedelta(hours=1))
    assert state_of(client, callback_id) == ("QUEUED", None)
    desk.ready()
    desk.offered()
    desk.post("logout")
    assert state_of(client, callback_id) == ("QUEUED", None)
    assert [to for _, to, _ in history(callback_id)] == [
        "QUEUED",
        "ROUTING",
        "QUEUED",
        "ROUTING",
        "QUEUED",
    ]


@pytest.mark.parametrize("how", ["delete", "admin"])
def test_cancel_while_routing_withdraws_the_offer(
    service, create, client, desk, admin_headers, how
):
    callback_id = create().json()["_id"]
    desk.ready()
    offer = desk.offered()
    if how == "delete":
        response = client.delete(f"/genesys/1/service/callback/cb-sales/{callback_id}")
        reason = "CANCELLED"
    else:
        response = client.post(
            "/genesys/1/admin/callback/cancel",
            {"ids": [callback_id]},
            content_type="application/json",
            headers=admin_headers,
        )
        reason = "CANCELLED_BY_ADMIN"
    assert response.status_code == 200
    assert state_of(client, callback_id) == ("COMPLETED", reason)
    assert history(callback_id)[-1] == ("ROUTING", "COMPLETED", reason)
    assert Interaction.objects.get(pk=offer).state == InteractionState.ABANDONED
    assert AgentCapacity.objects.get(agent=desk.agent, media="callback").load == 0
    assert desk.http.get("/api/agent/offers").json()["offers"] == []


@pytest.mark.parametrize("outcome", ["NO_ANSWER", "BUSY"])
def test_a_retried_dial_is_scheduled_again_from_processing(service, create, client, desk, outcome):
    service(**RETAIN, _max_dial_attempts="2", _dial_retry_timeout="600")
    callback_id = create().json()["_id"]
    desk.ready()
    offer = desk.offered()
    desk.post(f"interactions/{offer}/accept")
    record = desk.post(f"callbacks/{offer}/outcome", {"outcome": outcome})
    assert record["_callback_state"] == "SCHEDULED"
    assert history(callback_id)[-1] == ("PROCESSING", "SCHEDULED", "")


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ("", ("COMPLETED", "AGENT_CONNECTED")),
        ("WRONG_NUMBER", ("COMPLETED", "FAIL_CALL_TO_CUSTOMER")),
    ],
)
def test_completing_the_interaction_itself_ends_the_callback(
    service, create, client, desk, disposition, expected
):
    """The generic complete of the agent API: its disposition is read as the dial outcome."""
    callback_id = create().json()["_id"]
    desk.ready()
    offer = desk.offered()
    desk.post(f"interactions/{offer}/accept")
    desk.post(f"interactions/{offer}/complete", {"disposition": disposition})
    assert state_of(client, callback_id) == expected


@pytest.mark.parametrize("value", ["yes", "1"])
def test_retain_option_must_be_a_boolean(service, value):
    with pytest.raises(ConfigError, match="_retain_session_until_ixn_deleted"):
        service(_retain_session_until_ixn_deleted=value)


def race(*actions) -> list[BaseException]:
    """Run the actions at once, each on its own connection; the unexpected errors.

    A GMS error or a 409 is the loser's expected answer."""
    start = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def run(action) -> None:
        try:
            start.wait()
            action()
        except (GMSError, contactcenter.InvalidTransition):
            pass
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_a_cancel_racing_the_accept_never_deadlocks(service, create):
    """The cancel locks the callback, then the agent; the accept holds the agent, then
    meets the callback: its hook skips the locked row instead of waiting for it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    now = timezone.now()
    for round_ in range(8):
        # A number per round: the throttle allows 6 callbacks a day for one number.
        callback_id = create(_customer_number=f"+1415555{round_:04d}").json()["_id"]
        user = get_user_model().objects.create_user(f"agent{round_}")
        agent = contactcenter.register_agent(user=user, queue_names=["VQ_CB"])
        contactcenter.login(agent=agent)
        contactcenter.set_ready(agent=agent)
        contactcenter.route(queue_name="VQ_CB")
        offer = Interaction.objects.get(source_id=callback_id)
        errors = race(
            partial(
                services.cancel_callback, service_name="cb-sales", callback_id=callback_id, now=now
            ),
            partial(contactcenter.accept, interaction=offer, agent=agent, now=now),
        )
        assert not errors, errors
        callback = Callback.objects.get(pk=callback_id)
        assert (callback.state, callback.reason) == ("COMPLETED", "CANCELLED")
        # Cancelled first: the offer is withdrawn; accepted first: the agent keeps the work.
        assert Interaction.objects.get(pk=offer.pk).state in (
            InteractionState.ABANDONED,
            InteractionState.ACCEPTED,
        )
        contactcenter.set_not_ready(agent=agent)


# --- reconciliation: a hook that skipped a locked callback is caught up ---------------------


@contextmanager
def held(callback_id: str) -> Iterator[None]:
    """Another writer (a PUT, a DELETE) holds the callback's row lock meanwhile, from its
    own connection: the lifecycle hooks skip the callback."""
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Callback.objects.select_for_update().get(pk=callback_id)
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert locked.wait(30)
    try:
        yield
    finally:
        release.set()
        thread.join(30)


class Contact:
    """Agent ``ann`` of VQ_CB, logged in, driving the contact center directly."""

    def __init__(self, name: str = "ann") -> None:
        user = get_user_model().objects.create_user(name)
        self.agent = contactcenter.register_agent(user=user, queue_names=["VQ_CB"])
        contactcenter.login(agent=self.agent)

    def interaction(self, callback_id: str) -> Interaction:
        return Interaction.objects.get(source_id=callback_id)

    def offer(self, callback_id: str) -> None:
        contactcenter.set_ready(agent=self.agent)  # routes once committed
        assert self.interaction(callback_id).state == InteractionState.OFFERED

    def reject(self, callback_id: str) -> None:
        contactcenter.reject(interaction=self.interaction(callback_id), agent=self.agent)

    def accept(self, callback_id: str) -> None:
        contactcenter.accept(interaction=self.interaction(callback_id), agent=self.agent)

    def complete(self, callback_id: str, disposition: str) -> None:
        interaction = self.interaction(callback_id)
        contactcenter.complete(interaction=interaction, agent=self.agent, disposition=disposition)

    def abandon(self, callback_id: str) -> None:
        contactcenter.abandon(interaction=self.interaction(callback_id), reason="GONE")


def postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks to skip")


# (steps before the lock, steps while another writer holds the callback, the state the
# skipped hook left, what reconciliation makes of it: the transitions it appends)
SKIPPED = {
    "offer": ([], ["offer"], "QUEUED", [("QUEUED", "ROUTING", "")]),
    "reject": (["offer"], ["reject"], "ROUTING", [("ROUTING", "QUEUED", "")]),
    "accept": (["offer"], ["accept"], "ROUTING", [("ROUTING", "PROCESSING", "")]),
    "offer and accept": (
        [],
        ["offer", "accept"],
        "QUEUED",
        [("QUEUED", "ROUTING", ""), ("ROUTING", "PROCESSING", "")],
    ),
    "connected": (
        ["offer", "accept"],
        ["complete:CONNECTED"],
        "PROCESSING",
        [("PROCESSING", "COMPLETED", "AGENT_CONNECTED")],
    ),
    "wrong number": (
        ["offer", "accept"],
        ["complete:WRONG_NUMBER"],
        "PROCESSING",
        [("PROCESSING", "COMPLETED", "FAIL_CALL_TO_CUSTOMER")],
    ),
    "no answer": (
        ["offer", "accept"],
        ["complete:NO_ANSWER"],
        "PROCESSING",
        [("PROCESSING", "SCHEDULED", "")],
    ),
    "abandoned": (["offer"], ["abandon"], "ROUTING", [("ROUTING", "COMPLETED", "FAIL_ERROR")]),
}


def run(contact: Contact, callback_id: str, steps: list[str]) -> None:
    for step in steps:
        name, _, argument = step.partition(":")
        getattr(contact, name)(callback_id, *([argument] if argument else []))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("case", SKIPPED)
def test_reconciliation_applies_what_a_skipped_hook_would_have(service, create, case):
    postgresql_only()
    service(**RETAIN, _dial_retry_timeout="600")
    before, during, left, appended = SKIPPED[case]
    callback_id = create().json()["_id"]
    contact = Contact()
    run(contact, callback_id, before)
    transitions = history(callback_id)
    with held(callback_id):
        run(contact, callback_id, during)
    assert Callback.objects.get(pk=callback_id).state == left
    assert history(callback_id) == transitions  # the hook skipped it

    assert lifecycle.reconcile(now=timezone.now()) == [callback_id]
    assert history(callback_id) == transitions + appended
    callback = Callback.objects.get(pk=callback_id)
    assert (callback.state, callback.reason) == appended[-1][1:]
    if case == "no answer":  # due as the hook would have made it: from the completion
        completed_at = contact.interaction(callback_id).completed_at
        assert callback.due_at == completed_at + timedelta(seconds=600)

    assert lifecycle.reconcile(now=timezone.now()) == []  # idempotent
    assert history(callback_id) == transitions + appended


def ready_while_held(callback_ids: list[str]) -> None:
    """An agent per callback gets ready and is offered one, every hook skipping."""
    with ExitStack() as stack:
        for callback_id in callback_ids:
            stack.enter_context(held(callback_id))
        for n in range(len(callback_ids)):
            contactcenter.set_ready(agent=Contact(f"agent{n}").agent)
    assert Interaction.objects.filter(state=InteractionState.OFFERED).count() == len(callback_ids)
    assert set(Callback.objects.values_list("state", flat=True)) == {"QUEUED"}


@pytest.mark.django_db(transaction=True)
def test_reconciliation_leaves_a_held_callback_to_the_next_pass(service, create):
    """SKIP LOCKED: a callback a writer holds waits for the next pass, run by the beat task."""
    postgresql_only()
    service(_max_request_by_time_bucket="10")
    first = create(_customer_number="+14155550101").json()["_id"]
    second = create(_customer_number="+14155550102").json()["_id"]
    ready_while_held([first, second])
    with held(first):
        assert lifecycle.reconcile(now=timezone.now()) == [second]
    assert Callback.objects.get(pk=first).state == "QUEUED"
    assert reconcile_callbacks() == 1
    assert Callback.objects.get(pk=first).state == "ROUTING"


@pytest.mark.django_db(transaction=True)
def test_reconciliation_batches_are_bounded(service, create):
    postgresql_only()
    service(_max_request_by_time_bucket="10")
    ready_while_held([create(_customer_number=f"+1415555010{n}").json()["_id"] for n in range(3)])
    assert len(lifecycle.reconcile(now=timezone.now(), limit=2)) == 2
    assert len(lifecycle.reconcile(now=timezone.now(), limit=2)) == 1
    assert set(Callback.objects.values_list("state", flat=True)) == {"ROUTING"}
