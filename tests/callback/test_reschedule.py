"""PUT /{id} (callback.md §3.3): reschedule through the same booking checks, edit user data."""

from datetime import timedelta

from django.utils import timezone

from apps.callback import machine
from apps.callback.models import Callback, State
from apps.contactcenter.selectors import find_by_source
from tests.callback.conftest import SERVICE, assert_callback_error, future, iso


def _put(client, callback_id: str, **body: str):
    return client.put(
        f"/genesys/1/service/callback/{SERVICE}/{callback_id}",
        body,
        content_type="application/json",
    )


def test_reschedule_moves_the_booking(service, create, client) -> None:
    callback_id = create(_desired_time=iso(future(60)), note="a").json()["_id"]
    new = future(120)
    response = _put(client, callback_id, _new_desired_time=iso(new), note="after lunch")
    assert (response.status_code, response.content) == (200, b"")
    callback = Callback.objects.get(pk=callback_id)
    assert (callback.state, callback.desired_time) == (State.SCHEDULED, new)
    assert callback.expiration_time == new + timedelta(seconds=3600)
    assert callback.user_data == {"note": "after lunch"}


def test_empty_value_deletes_a_key_and_desired_time_is_ignored(service, create, client) -> None:
    desired = future(60)
    callback_id = create(_desired_time=iso(desired), a="1", b="2").json()["_id"]
    assert _put(client, callback_id, a="", _desired_time=iso(future(90))).status_code == 200
    callback = Callback.objects.get(pk=callback_id)
    assert (callback.user_data, callback.desired_time) == ({"b": "2"}, desired)


def test_reschedule_into_a_full_slot_proposes_others(service, create, client) -> None:
    full = future(120)
    for n in range(2):
        create(_desired_time=iso(full), _customer_number=f"+1415555014{n}")
    callback_id = create(_desired_time=iso(future(60))).json()["_id"]
    response = _put(client, callback_id, _new_desired_time=iso(full))
    body = assert_callback_error(response, 400, "CallbackExceptionAvailability")
    assert iso(full + timedelta(minutes=5)) in body["availability"]


def test_reschedule_within_its_own_full_bucket(service, create, client) -> None:
    """The callback does not count against itself."""
    slot = future(60)
    create(_desired_time=iso(slot), _customer_number="+14155550149")
    callback_id = create(_desired_time=iso(slot)).json()["_id"]
    moved = slot + timedelta(minutes=2)
    assert _put(client, callback_id, _new_desired_time=iso(moved)).status_code == 200


def test_queued_callback_goes_back_to_scheduled(service, create, client) -> None:
    callback_id = create().json()["_id"]
    assert _put(client, callback_id, _new_desired_time=iso(future(60))).status_code == 200
    assert Callback.objects.get(pk=callback_id).state == State.SCHEDULED
    assert find_by_source(source="callback", source_id=callback_id).state == "abandoned"


def test_scheduled_callback_moved_to_now_is_queued(service, create, client) -> None:
    callback_id = create(_desired_time=iso(future(60))).json()["_id"]
    soon = timezone.now() + timedelta(seconds=30)
    assert _put(client, callback_id, _new_desired_time=iso(soon)).status_code == 200
    assert Callback.objects.get(pk=callback_id).state == State.QUEUED
    assert find_by_source(source="callback", source_id=callback_id) is not None


def test_routing_callback_cannot_be_rescheduled(service, create, client) -> None:
    callback = Callback.objects.get(pk=create().json()["_id"])
    machine.transition(callback, to=State.ROUTING, now=timezone.now())
    response = _put(client, callback.pk, _new_desired_time=iso(future(60)))
    body = assert_callback_error(response, 400, "CallbackException")
    assert body["message"] == f"Callback {callback.pk} cannot be rescheduled in state ROUTING"


def test_unknown_callback_or_service(service, client) -> None:
    assert_callback_error(_put(client, "nope", a="1"), 404, "CallbackExceptionNotFound")
    response = client.put("/genesys/1/service/callback/nope/x", {}, content_type="application/json")
    assert_callback_error(response, 404, "CallbackExceptionNotFound")
