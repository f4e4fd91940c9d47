"""Callback status notifications and user pushes, delivered to a real local HTTP server."""

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from apps.callback import machine
from apps.callback.models import Callback, State
from apps.callback.options import CallbackOptions
from apps.core.config import ConfigError
from tests.callback.conftest import SERVICE, future, iso
from tests.notification.target import Target, eager_celery, serving

CALLBACKS = f"/genesys/1/service/callback/{SERVICE}"


@pytest.fixture
def notifying(service, configure) -> Iterator[Target]:
    """``cb-sales`` announcing its callbacks to a local server over httpcb, push enabling it."""
    with serving() as target, eager_celery():
        configure({"push": {"pushEnabled": "comet,httpcb"}})
        service(
            _enable_status_notification="subscribe_notify",
            _status_notification_type="httpcb",
            _status_notification_target=target.url,
            _status_notification_attempts="3",
        )
        yield target


def events(target: Target) -> list[dict]:
    return [json.loads(body) for body in target.bodies()]


def test_create_announces_service_create_with_the_callback(
    notifying, create, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        callback_id = create(first_name="Ana").json()["_id"]
    create_event, queued = events(notifying)
    assert create_event == {
        "first_name": "Ana",
        "_event": "_cbe_on_service_create",
        "_id": callback_id,
        "_service_id": callback_id,
        "_service_name": SERVICE,
        "_customer_number": "+14155550142",
        "_desired_time": create_event["_desired_time"],
        "_urs_virtual_queue": "VQ_CB",
        "_callback_state": "QUEUED",
    }
    assert queued["_event"] == "_cbe_on_callback_queued"
    assert notifying.received[0].path == "/hook"


def test_cancel_announces_the_cancellation_and_the_exit(
    notifying, create, client, django_capture_on_commit_callbacks
) -> None:
    callback_id = create().json()["_id"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete(f"{CALLBACKS}/{callback_id}").status_code == 200
    cancelled, exited = events(notifying)
    assert [cancelled["_event"], exited["_event"]] == [
        "_cbe_on_callback_cancelled",
        "_cbe_on_service_exit",
    ]
    assert (exited["_id"], exited["_callback_state"], exited["_callback_reason"]) == (
        callback_id,
        "COMPLETED",
        "CANCELLED",
    )


def test_scheduled_then_rescheduled(
    notifying, create, client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        callback_id = create(_desired_time=iso(future(30))).json()["_id"]
        response = client.put(
            f"{CALLBACKS}/{callback_id}",
            {"_new_desired_time": iso(future(60))},
            content_type="application/json",
        )
        assert response.status_code == 200
    assert [(e["_event"], e["_callback_state"]) for e in events(notifying)] == [
        ("_cbe_on_service_create", "SCHEDULED"),
        ("_cbe_on_callback_scheduled", "SCHEDULED"),
        ("_cbe_on_callback_rescheduled", "SCHEDULED"),
    ]


def test_a_failing_target_gets_the_configured_attempts(
    notifying, service, create, django_capture_on_commit_callbacks
) -> None:
    service(
        _enable_status_notification="true",
        _status_notification_target=notifying.url,
        _status_notification_attempts="2",
    )
    notifying.statuses = [500] * 10
    with django_capture_on_commit_callbacks(execute=True):
        assert create().status_code == 200  # delivery never fails the request
    assert [e["_event"] for e in events(notifying)] == [
        "_cbe_on_service_create",
        "_cbe_on_service_create",
        "_cbe_on_callback_queued",
        "_cbe_on_callback_queued",
    ]


@pytest.mark.parametrize("push", [None, {"pushEnabled": "comet"}, {"pushEnabled": ""}])
def test_nothing_is_sent_unless_push_enabled_lists_httpcb(
    notifying, configure, create, django_capture_on_commit_callbacks, push
) -> None:
    configure({"push": push or {"defaultSubscriptionExpiration": "30"}})
    with django_capture_on_commit_callbacks(execute=True):
        assert create().status_code == 200
    assert notifying.received == []


def test_status_notifications_off_sends_nothing(
    notifying, service, create, django_capture_on_commit_callbacks
) -> None:
    service(
        _enable_status_notification="false",
        _status_notification_target=notifying.url,
    )
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        callback_id = create().json()["_id"]
    assert notifying.received == []
    assert "_status_notification_target" not in Callback.objects.get(pk=callback_id).options
    assert hooks  # the contact center's own hooks ran: the test did commit


def test_a_rolled_back_change_announces_nothing(
    notifying, create, django_capture_on_commit_callbacks
) -> None:
    callback = Callback.objects.get(pk=create().json()["_id"])
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        machine.transition(callback, to=State.PAUSED, now=datetime.now(UTC))
        raise RuntimeError("undone")
    assert notifying.received == []


def _scheduled(count: int, options: dict[str, str]) -> list[Callback]:
    now = datetime.now(UTC)
    callbacks = []
    for n in range(count):
        callback = Callback(
            service_name=SERVICE,
            customer_number=f"+1415555{n:04d}",
            desired_time=now,
            due_at=now,
            expiration_time=now + timedelta(days=1),
            options=options,
        )
        machine.start(callback, state=State.SCHEDULED, now=now)
        callbacks.append(callback)
    return callbacks


def test_a_batch_nobody_listens_to_costs_no_lookup_and_no_hook(
    db, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:
    batch = _scheduled(500, {"_urs_virtual_queue": "VQ_CB"})
    with django_capture_on_commit_callbacks() as hooks, django_assert_num_queries(2):
        machine.transition_locked(batch, to=State.QUEUED, now=datetime.now(UTC))
    assert hooks == []


def test_a_batch_is_announced_after_its_commit_in_one_hook(
    notifying, django_assert_num_queries, django_capture_on_commit_callbacks
) -> None:
    batch = _scheduled(3, {"_status_notification_target": notifying.url})
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        with django_assert_num_queries(2):
            machine.transition_locked(batch, to=State.QUEUED, now=datetime.now(UTC))
        assert notifying.received == []  # nothing before the commit
    assert len(hooks) == 1
    assert [(e["_id"], e["_event"]) for e in events(notifying)] == [
        (callback.pk, "_cbe_on_callback_queued") for callback in batch
    ]


# --- pushes to the user's device (push.md §8) ---------------------------------------


def _routed(create, django_capture_on_commit_callbacks, **body: str) -> str:
    """Create a callback, then move it to ROUTING (an agent is ready); its id."""
    callback = Callback.objects.get(pk=create(**body).json()["_id"])
    with django_capture_on_commit_callbacks(execute=True):
        assert machine.transition(callback, to=State.ROUTING, now=datetime.now(UTC))
    return callback.pk


@pytest.fixture
def device(service, configure) -> Iterator[Target]:
    """A local server standing for the user's device; push enables httpcb and gcm."""
    with serving() as target, eager_celery():
        configure({"push": {"pushEnabled": "httpcb,gcm"}})
        yield target


def test_agent_ready_pushes_the_confirmation_dialog(
    device, create, django_capture_on_commit_callbacks
) -> None:
    callback_id = _routed(
        create,
        django_capture_on_commit_callbacks,
        _device_os="HTTPCB",
        _device_notification_id=device.url,
        _wait_for_user_confirm="true",
    )
    assert device.bodies() == [f'{{"_id":"{callback_id}","_action":"ConfirmationDialog"}}']


def test_a_user_originated_callback_gets_no_push_when_routed(
    device, django_capture_on_commit_callbacks
) -> None:
    """Its DialNumber went out when it fell due; routed, the customer is on the line."""
    options = {
        "_call_direction": "USERORIGINATED",
        "_device_os": "httpcb",
        "_device_notification_id": device.url,
        "_wait_for_user_confirm": "false",
    }
    [callback] = _scheduled(1, options)
    now = datetime.now(UTC)
    with django_capture_on_commit_callbacks(execute=True):
        machine.transition(callback, to=State.QUEUED, now=now)
        machine.transition(callback, to=State.ROUTING, now=now)
    assert device.bodies() == []


def test_a_callback_offered_again_pushes_once(
    device, create, django_capture_on_commit_callbacks
) -> None:
    """Rejected (ROUTING -> QUEUED) and offered again: the user already had the dialog."""
    callback_id = _routed(
        create,
        django_capture_on_commit_callbacks,
        _device_os="httpcb",
        _device_notification_id=device.url,
        _wait_for_user_confirm="true",
    )
    callback = Callback.objects.get(pk=callback_id)
    now = datetime.now(UTC)
    with django_capture_on_commit_callbacks(execute=True):
        assert machine.transition(callback, to=State.QUEUED, now=now)
        assert machine.transition(callback, to=State.ROUTING, now=now)
        assert machine.transition(callback, to=State.QUEUED, now=now)
        assert machine.transition(callback, to=State.ROUTING, now=now)
    assert device.bodies() == [f'{{"_id":"{callback_id}","_action":"ConfirmationDialog"}}']


def test_no_push_without_confirmation_or_device(
    device, create, django_capture_on_commit_callbacks
) -> None:
    _routed(
        create,
        django_capture_on_commit_callbacks,
        _device_os="httpcb",
        _device_notification_id=device.url,
    )
    _routed(create, django_capture_on_commit_callbacks, _wait_for_user_confirm="true")
    assert device.received == []


def test_a_device_channel_without_provider_is_logged_and_skipped(
    device, create, django_capture_on_commit_callbacks, caplog
) -> None:
    with caplog.at_level(logging.WARNING, logger="apps.notification.services"):
        _routed(
            create,
            django_capture_on_commit_callbacks,
            _device_os="gcm",
            _device_notification_id="APA91-registration-id",
            _wait_for_user_confirm="true",
        )
    assert "Push gcm to APA91-registration-id skipped: no provider yet" in caplog.text


def test_a_reschedule_keeps_the_device_unless_it_names_another() -> None:
    """``snapshot(previous)``: a PUT that does not resend the device keys keeps them."""
    device = {"_device_os": "gcm", "_device_notification_id": "APA91"}
    kept = CallbackOptions.read(SERVICE, device, {}).snapshot()
    assert CallbackOptions.read(SERVICE, {}, {}).snapshot(kept)["_device_notification_id"] == (
        "APA91"
    )
    other = {"_device_os": "ios", "_device_notification_id": "apns-token"}
    again = CallbackOptions.read(SERVICE, other, {}).snapshot(kept)
    assert (again["_device_os"], again["_device_notification_id"]) == ("ios", "apns-token")
    assert "_device_os" not in CallbackOptions.read(SERVICE, {}, {}).snapshot()


def test_an_unstorable_device_id_is_400(service, create) -> None:
    for bad in ("a\x00b", "x" * 2001):
        response = create(_device_os="httpcb", _device_notification_id=bad)
        assert response.status_code == 400, response.content


# --- save-time validation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "option"),
    [
        ({"_enable_status_notification": "maybe"}, "_enable_status_notification"),
        ({"_enable_status_notification": "true"}, "_status_notification_target"),
        ({"_status_notification_target": "ftp://x"}, "_status_notification_target"),
        ({"_status_notification_type": "wns"}, "_status_notification_type"),
        ({"_status_notification_attempts": "0"}, "_status_notification_attempts"),
        ({"_wait_for_user_confirm": "yes"}, "_wait_for_user_confirm"),
    ],
)
def test_bad_notification_options_are_refused(service, options, option) -> None:
    with pytest.raises(ConfigError) as error:
        service(**options)
    assert [problem[1] for problem in error.value.problems] == [option]
