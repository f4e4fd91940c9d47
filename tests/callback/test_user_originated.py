"""USERORIGINATED callbacks and ``_redirect`` (callback.md §3.1): the customer dials a
reserved access number, which match-interaction ties back to the callback."""

import json
from urllib.parse import urlencode

import pytest

from apps.callback.models import Callback, State
from apps.contactcenter.selectors import find_by_source
from apps.services.models import AccessReservation
from tests.callback.conftest import NUMBER, SERVICE, assert_callback_error, future, iso

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
