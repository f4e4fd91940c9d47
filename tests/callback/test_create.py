"""POST /genesys/1/service/callback/{name} like a GMS client (callback.md §3.1, §5)."""

from urllib.parse import urlencode

import pytest

from apps.callback.models import Callback, State
from apps.contactcenter.selectors import find_by_source
from tests.callback.conftest import NUMBER, SERVICE, assert_callback_error, future, iso
from tests.conftest import basic

URL = f"/genesys/1/service/callback/{SERVICE}"


def test_immediate_callback_is_queued_in_the_contact_center(service, create) -> None:
    response = create(first_name="Ana")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"_id", "_action", "_text", "_ok_title", "_dialog_id"}
    assert body["_action"] == "ConfirmationDialog"
    assert body["_text"] == "You will receive the call shortly"
    assert (body["_ok_title"], body["_dialog_id"]) == ("Ok", "0")
    callback = Callback.objects.get(pk=body["_id"])
    assert callback.state == State.QUEUED
    assert callback.user_data == {"first_name": "Ana"}
    interaction = find_by_source(source="callback", source_id=callback.pk)
    assert interaction is not None and interaction.queue.name == "VQ_CB"
    assert interaction.media == "callback"


def test_scheduled_callback_waits(service, create) -> None:
    response = create(_desired_time=iso(future(60)))
    assert response.status_code == 200
    assert response.json()["_text"] == "Your callback has been scheduled"
    callback = Callback.objects.get(pk=response.json()["_id"])
    assert callback.state == State.SCHEDULED
    assert find_by_source(source="callback", source_id=callback.pk) is None


@pytest.mark.parametrize("encoding", ["json", "urlencoded", "multipart"])
def test_three_encodings_store_the_same_record(service, client, encoding) -> None:
    body = {"_customer_number": NUMBER, "_desired_time": iso(future(30)), "note": "x"}
    if encoding == "json":
        response = client.post(URL, body, content_type="application/json")
    elif encoding == "urlencoded":
        response = client.post(
            URL, urlencode(body), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post(URL, body)
    assert response.status_code == 200, response.content
    callback = Callback.objects.get(pk=response.json()["_id"])
    assert (callback.customer_number, callback.user_data) == (NUMBER, {"note": "x"})


def test_unknown_service_is_404(service, create) -> None:
    body = assert_callback_error(create("nope"), 404, "CallbackExceptionNotFound")
    assert body["message"] == "Service nope not found"
    assert body["phrase"] == "Not Found"


def test_missing_customer_number_is_400(service, client) -> None:
    response = client.post(URL, {"first_name": "x"}, content_type="application/json")
    assert_callback_error(response, 400, "InvalidParameterServiceException")


def test_premium_number_refused(service, create) -> None:
    body = assert_callback_error(
        create(_customer_number="+19005551234"), 400, "CallbackExceptionNumber"
    )
    assert body["message"] == (
        "Customer Number [+19005551234] is disallowed, because it's a premium number. "
        "Check option _disallow_premium_phone_numbers"
    )


def test_exception_pattern_group_refuses_the_number(service, configure, create) -> None:
    configure({"cb_errors": {"blocked": r"\+14155550142"}})
    service(_exceptions="cb_errors")
    assert_callback_error(create(_customer_number="14155550142"), 400, "CallbackExceptionNumber")
    assert create(_customer_number="+14155550143").status_code == 200


def test_queue_limit_is_503_for_immediate_only(service, create) -> None:
    service(_max_queued_callbacks_per_service="1")
    assert create().status_code == 200
    body = assert_callback_error(
        create(_customer_number="+14155550143"), 503, "CallbackExceptionServiceUnavailable"
    )
    assert body["message"] == f"Limit of queued callbacks for {SERVICE} is reached."
    assert body["phrase"] == "Service Unavailable"
    assert create(_desired_time=iso(future(60))).status_code == 200


def test_same_number_twice_in_queue_is_refused(service, create) -> None:
    assert create().status_code == 200
    assert create().status_code == 200
    body = assert_callback_error(create(), 503, "CallbackExceptionServiceUnavailable")
    assert body["message"] == (
        f"Callback for _customer_number={NUMBER} rejected because it is already queued."
    )
    service(_enable_in_queue_checking="false")
    assert create().status_code == 200


def test_desired_time_beyond_the_window_is_refused(service, create) -> None:
    service(_reject_future_desired_time="1d")
    body = assert_callback_error(
        create(_desired_time=iso(future(2 * 24 * 60))), 400, "CallbackExceptionAvailability"
    )
    assert body["availability"]


def test_desired_time_too_far_back_is_refused(service, create) -> None:
    past = future(-20)  # _reject_past_desired_time defaults to 300 s
    body = assert_callback_error(
        create(_desired_time=iso(past)), 400, "CallbackExceptionAvailability"
    )
    assert body["message"] == f"Desired time {iso(past)} is too far back"
    assert not Callback.objects.exists()


def test_missing_mandatory_lookup_key_is_refused(service, create) -> None:
    service(_mandatory_customer_lookup_keys="_customer_number,account")
    body = assert_callback_error(create(), 400, "InvalidParameterServiceException")
    assert body["message"] == "Invalid option: mandatory parameter account is missing"
    assert create(account="A-7").status_code == 200


def test_full_bucket_proposes_free_slots(service, create) -> None:
    slot = future(60)
    for n in range(2):
        assert (
            create(_desired_time=iso(slot), _customer_number=f"+1415555014{n}").status_code == 200
        )
    body = assert_callback_error(
        create(_desired_time=iso(slot)), 400, "CallbackExceptionAvailability"
    )
    assert body["message"] == f"Requested time slot {iso(slot)} is full"
    assert iso(slot) not in body["availability"]
    assert body["availability"][iso(future(65))] == 2
    assert all(isinstance(v, int) for v in body["availability"].values())


def test_office_closed_is_refused(close_office, create) -> None:
    close_office()
    slot = future(60)
    if slot.hour == 0 and slot.minute == 0:
        slot = future(120)
    body = assert_callback_error(
        create(_desired_time=iso(slot)), 400, "CallbackExceptionAvailability"
    )
    assert body["message"] == "Office closed at desired time"


def test_bad_desired_time_is_400(service, create) -> None:
    assert_callback_error(create(_desired_time="tomorrow"), 400, "CallbackException")


def test_callback_credentials_apply(service, configure, client) -> None:
    configure({"callback": {"username": "cb", "password": "pw"}})
    body = {"_customer_number": NUMBER}
    assert client.post(URL, body, content_type="application/json").status_code == 401
    response = client.post(
        URL, body, content_type="application/json", HTTP_AUTHORIZATION=basic("cb", "pw")
    )
    assert response.status_code == 200


def test_malformed_json_is_a_callback_error(service, client) -> None:
    response = client.post(URL, "{", content_type="application/json")
    assert_callback_error(response, 400, "GSGException")
