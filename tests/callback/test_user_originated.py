"""USERORIGINATED callbacks and ``_redirect`` (callback.md §3.1): the customer dials a
reserved access number, which match-interaction ties back to the callback."""

import json
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from apps.callback import services
from apps.callback.models import Callback, State
from apps.contactcenter.models import Interaction
from apps.contactcenter.selectors import find_by_source
from apps.services.models import AccessReservation
from tests.callback.conftest import NUMBER, SERVICE, Desk, assert_callback_error, future, iso
from tests.callback.test_lifecycle import RETAIN, history, state_of
from tests.notification.target import eager_celery, serving

pytestmark = pytest.mark.django_db
URL = f"/genesys/1/service/callback/{SERVICE}"
ACCESS_NUMBER = "+18005550100"


@pytest.fixture
def pool(configure):
    configure(
        {
            "resources": {"DNIS": ACCESS_NUMBER},
            "service.match-interaction": {"_type": "builtin", "_service": "match-interaction"},
            "service.request-interaction": {
                "_type": "builtin",
                "_service": "request-interaction",
            },
        }
    )


def _post(client, body: dict, encoding: str = "json"):
    if encoding == "json":
        return client.post(URL, json.dumps(body), content_type="application/json")
    if encoding == "multipart":
        return client.post(URL, body)
    return client.post(URL, urlencode(body), content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("encoding", ["json", "form", "multipart"])
def test_a_user_originated_callback_answers_dial_number(client, service, pool, encoding):
    body = {"_customer_number": NUMBER, "_call_direction": "USERORIGINATED", "note": "x"}
    response = _post(client, body, encoding)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer == {
        "_id": answer["_id"],
        "_action": "DialNumber",
        "_tel_url": f"tel:{ACCESS_NUMBER}",
        "_label": "Calling the contact center",
        "_dialog_id": "0",
    }
    callback = Callback.objects.get(pk=answer["_id"])
    # It waits for the customer's call: QUEUED, but nobody dials out.
    assert callback.state == State.QUEUED
    assert find_by_source(source="callback", source_id=callback.pk) is None


def test_the_option_and_a_code(client, service, pool):
    service(_call_direction="USERORIGINATED", _provide_code="true")
    answer = _post(client, {"_customer_number": NUMBER}).json()
    assert answer["_action"] == "DialNumber"
    assert len(answer["_access_code"]) == 6 and answer["_access_code"].isdigit()


def test_match_interaction_finds_the_callback(client, service, pool):
    service(_call_direction="USERORIGINATED")
    answer = _post(client, {"_customer_number": NUMBER, "first_name": "Ana"}).json()
    match = client.post(
        "/genesys/1/service/match-interaction",
        json.dumps(
            {"_access_number": ACCESS_NUMBER, "_phone_number": NUMBER, "_return_data": "true"}
        ),
        content_type="application/json",
    )
    assert match.status_code == 200, match.content
    assert match.json()["_id"] == answer["_id"]
    assert match.json()["first_name"] == "Ana"
    assert not AccessReservation.objects.exists()


def test_the_reservation_lasts_the_booking_timeout(client, service, pool):
    service(_call_direction="USERORIGINATED", _booking_expiration_timeout="45")
    _post(client, {"_customer_number": NUMBER})
    reservation = AccessReservation.objects.get()
    assert 40 < (reservation.expires_at - reservation.created_at).total_seconds() <= 45


def test_a_full_pool_refuses_the_callback(client, service, pool):
    service(_call_direction="USERORIGINATED")
    assert _post(client, {"_customer_number": NUMBER}).status_code == 200
    response = _post(client, {"_customer_number": "+14155550143"})
    assert_callback_error(response, 503, "ResourceNotAvailableException")
    assert Callback.objects.count() == 1


def test_without_a_pool_it_is_400(client, service):
    service(_call_direction="USERORIGINATED")
    response = _post(client, {"_customer_number": NUMBER})
    body = assert_callback_error(response, 400, "InvalidParameterServiceException")
    assert body["message"] == "Resource group DNIS is not configured"
    assert not Callback.objects.exists()


def test_a_scheduled_user_originated_callback_confirms(client, service, pool):
    service(_call_direction="USERORIGINATED")
    answer = _post(client, {"_customer_number": NUMBER, "_desired_time": iso(future(60))}).json()
    assert answer["_action"] == "ConfirmationDialog"
    assert not AccessReservation.objects.exists()


def test_redirect_answers_as_the_other_service(client, service, pool):
    service(_redirect="request-interaction")
    answer = _post(client, {"_customer_number": NUMBER}).json()
    assert set(answer) == {"_id", "_access_number", "_expiration_time"}
    assert answer["_access_number"] == ACCESS_NUMBER
    assert not Callback.objects.exists()


def test_a_request_redirect_counts_only_when_overwritable(client, service, pool):
    body = {"_customer_number": NUMBER, "_redirect": "request-interaction"}
    assert _post(client, body).json()["_action"] == "ConfirmationDialog"
    service(_overwritable_options="_redirect")
    assert "_access_number" in _post(client, body).json()
    # "" switches a configured redirect off.
    service(_overwritable_options="_redirect", _redirect="request-interaction")
    assert _post(client, {**body, "_redirect": ""}).json()["_action"] == "ConfirmationDialog"


def test_a_redirect_to_an_unknown_service_is_404(client, service):
    service(_redirect="nope")
    response = _post(client, {"_customer_number": NUMBER})
    body = assert_callback_error(response, 404, "ServiceNotFoundException")
    assert body["message"] == "Service nope not found"


@pytest.fixture
def desk(desk: Desk) -> Desk:
    """The logged-in desk of conftest, ready for offers."""
    desk.ready()
    return desk


def _match(client, desk, **body: str):
    """The IVR asks who dialled; routing runs after the commit, as in a server."""
    with desk.capture(execute=True):
        return client.post(
            "/genesys/1/service/match-interaction",
            json.dumps({"_access_number": ACCESS_NUMBER} | body),
            content_type="application/json",
        )


def test_the_matched_call_reaches_an_agent(client, service, pool, desk):
    service(_call_direction="USERORIGINATED", **RETAIN)
    callback_id = _post(client, {"_customer_number": NUMBER, "first_name": "Ana"}).json()["_id"]
    assert desk.http.get("/api/agent/offers").json()["offers"] == []  # nobody dials out

    match = _match(client, desk, _phone_number=NUMBER)
    assert match.status_code == 200, match.content
    assert match.json()["_id"] == callback_id
    (offer,) = desk.http.get("/api/agent/offers").json()["offers"]
    assert offer["media"] == "callback"
    expected = {
        "first_name": "Ana",
        "_id": callback_id,
        "_service_name": SERVICE,
        "_customer_number": NUMBER,
        "_call_direction": "USERORIGINATED",
    }
    assert offer["userData"].items() >= expected.items()
    assert state_of(client, callback_id) == ("ROUTING", None)
    desk.post(f"interactions/{offer['id']}/accept")
    assert state_of(client, callback_id) == ("PROCESSING", None)
    record = desk.post(f"callbacks/{offer['id']}/outcome", {"outcome": "CONNECTED"})
    assert (record["_callback_state"], record["_callback_reason"]) == (
        "COMPLETED",
        "AGENT_CONNECTED",
    )
    assert [to for _, to, _ in history(callback_id)] == [
        "QUEUED",
        "ROUTING",
        "PROCESSING",
        "COMPLETED",
    ]


def test_a_called_in_customer_is_not_dialled_by_the_webhook_dialer(client, service, pool, desk):
    with serving() as telephony, eager_celery(), desk.capture(execute=True):
        service(_call_direction="USERORIGINATED", _dialer="webhook", _dialer_url=telephony.url)
        callback_id = _post(client, {"_customer_number": NUMBER}).json()["_id"]
        assert _match(client, desk, _phone_number=NUMBER).status_code == 200
        (offer,) = desk.http.get("/api/agent/offers").json()["offers"]
        desk.post(f"interactions/{offer['id']}/accept")
    assert telephony.received == []
    assert state_of(client, callback_id) == ("ROUTING", None)


def test_a_second_match_queues_no_second_interaction(client, service, pool, configure, desk):
    configure({"resources": {"DNIS": f"{ACCESS_NUMBER},+18005550101"}})
    configure({"service.request-access": {"_type": "builtin", "_service": "request-access"}})
    service(_call_direction="USERORIGINATED", _provide_code="true")
    callback_id = _post(client, {"_customer_number": NUMBER}).json()["_id"]
    first = AccessReservation.objects.get()
    more = client.post(
        "/genesys/1/service/request-access",
        json.dumps({"_id": callback_id, "_provide_code": "true"}),
        content_type="application/json",
    ).json()
    desk.post("not-ready")  # the call waits in the queue
    for number, code in [
        (first.access_number, first.access_code),
        (more["_access_number"], more["_access_code"]),
    ]:
        match = _match(client, desk, _access_number=number, _access_code=code)
        assert match.json()["_id"] == callback_id
    assert Interaction.objects.filter(source="callback", source_id=callback_id).count() == 1
    assert state_of(client, callback_id) == ("QUEUED", None)


def test_a_callback_due_within_the_buffer_answers_dial_number_too(client, service, pool):
    service(_call_direction="USERORIGINATED", _request_execution_time_buffer="60")
    desired = timezone.now() + timedelta(seconds=30)
    answer = _post(client, {"_customer_number": NUMBER, "_desired_time": iso(desired)}).json()
    assert (answer["_action"], answer["_tel_url"]) == ("DialNumber", f"tel:{ACCESS_NUMBER}")
    assert Callback.objects.get(pk=answer["_id"]).state == State.QUEUED


def test_a_cancelled_callback_frees_its_access_number(client, service, pool, desk):
    service(_call_direction="USERORIGINATED")
    callback_id = _post(client, {"_customer_number": NUMBER}).json()["_id"]
    assert client.delete(f"{URL}/{callback_id}").status_code == 200
    assert _match(client, desk).status_code == 404
    assert find_by_source(source="callback", source_id=callback_id) is None
    answer = client.post("/genesys/1/service/request-interaction").json()
    assert answer["_access_number"] == ACCESS_NUMBER  # the pool's only number, free again


def test_a_matched_request_interaction_instance_queues_nothing(client, service, pool, desk):
    answer = client.post("/genesys/1/service/request-interaction").json()
    assert _match(client, desk).json()["_id"] == answer["_id"]
    assert not Interaction.objects.exists()


def _due(client, service, desired_minutes: int = 30, **options: str) -> str:
    """A scheduled USERORIGINATED callback, then the dispatcher at its due time; its id."""
    service(_call_direction="USERORIGINATED", **options)
    desired = future(desired_minutes)
    body = {"_customer_number": NUMBER, "_desired_time": iso(desired)}
    callback_id = _post(client, body).json()["_id"]
    services.claim_due(now=desired, node="node-a")
    return callback_id


def test_a_due_scheduled_callback_pushes_dial_number_then_waits_for_the_call(
    client, service, pool, configure, desk
):
    with serving() as device, eager_celery(), desk.capture(execute=True):
        configure({"push": {"pushEnabled": "httpcb"}})
        callback_id = _due(client, service, _device_os="httpcb", _device_notification_id=device.url)
    assert device.bodies() == [f'{{"_id":"{callback_id}","_action":"DialNumber"}}']
    assert state_of(client, callback_id) == ("QUEUED", None)
    assert find_by_source(source="callback", source_id=callback_id) is None  # nobody dials
    reservation = AccessReservation.objects.get()
    assert reservation.instance_id == callback_id
    assert 25 < (reservation.expires_at - reservation.created_at).total_seconds() <= 30

    assert _match(client, desk, _phone_number=NUMBER).json()["_id"] == callback_id
    assert state_of(client, callback_id) == ("ROUTING", None)


def test_a_due_callback_without_a_free_number_fails_to_submit(client, service, pool):
    hours = {"_booking_expiration_timeout": "7200"}
    service(_call_direction="USERORIGINATED", **hours)
    assert _post(client, {"_customer_number": "+14155550143"}).status_code == 200  # takes it
    callback_id = _due(client, service, **hours)
    assert state_of(client, callback_id) == ("COMPLETED", "SUBMIT_FAILED")
    assert AccessReservation.objects.count() == 1


def test_a_paused_scheduled_callback_is_invited_when_resumed(client, service, pool, configure):
    configure({"GMS_Paused_Services": {SERVICE: "true"}})
    callback_id = _due(client, service)
    assert state_of(client, callback_id) == ("PAUSED", None)
    assert not AccessReservation.objects.exists()
    configure({"GMS_Paused_Services": {SERVICE: "false"}})
    assert services.resume_paused(now=timezone.now(), node="node-a") == [callback_id]
    assert state_of(client, callback_id) == ("QUEUED", None)
    assert AccessReservation.objects.get().instance_id == callback_id
    assert find_by_source(source="callback", source_id=callback_id) is None
