"""POST /genesys/1/service/{request-interaction | request-access} (service.md §3.1, §3.2)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.config import ConfigError
from apps.services.models import AccessReservation, ServiceInstance
from tests.conftest import assert_gms_error
from tests.services.conftest import POOL, post

pytestmark = pytest.mark.django_db
INVALID = "com.genesyslab.gsg.services.exceptions.InvalidParameterServiceException"


@pytest.mark.parametrize("encoding", ["form", "json", "multipart"])
def test_request_interaction_answers_access_info_as_strings(client, services, encoding):
    response = post(
        client,
        "/genesys/1/service/ri-code",
        {"_phone_number": "+14155550142", "first_name": "Ana", "language": "es"},
        encoding,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert list(body) == ["_id", "_access_number", "_access_code", "_expiration_time"]
    assert all(isinstance(value, str) for value in body.values())
    assert body["_access_number"] in POOL
    assert len(body["_access_code"]) == 6 and body["_access_code"].isdigit()
    assert body["_expiration_time"] == "60"
    data = client.get(f"/genesys/1/service/{body['_id']}/storage").json()
    assert data == {"first_name": "Ana", "language": "es"}


def test_a_post_without_parameters_answers_number_and_expiration(client, services):
    # ClusterTests: GMS answers 200 to a bare POST; no code unless _provide_code.
    body = client.post("/genesys/1/service/request-interaction").json()
    assert set(body) == {"_id", "_access_number", "_expiration_time"}
    assert body["_expiration_time"] == "30"  # the builtins' default _ttl


def test_booking_timeout_sets_the_reservation_and_outlives_a_short_ttl(client, services):
    response = post(
        client, "/genesys/1/service/request-interaction", {"_booking_expiration_timeout": "90"}
    )
    body = response.json()
    assert body["_expiration_time"] == "90"
    reservation = AccessReservation.objects.get()
    instance = ServiceInstance.objects.get(pk=body["_id"])
    assert instance.expires_at >= reservation.expires_at
    assert reservation.expires_at - timezone.now() > timedelta(seconds=85)


def test_numbers_without_code_are_exclusive_until_the_pool_is_full(client, services):
    numbers = {
        client.post("/genesys/1/service/request-interaction").json()["_access_number"] for _ in POOL
    }
    assert numbers == set(POOL)
    response = client.post("/genesys/1/service/request-interaction")
    body = assert_gms_error(response, 503)
    assert body["message"] == "No access number of resource group DNIS is free"


def test_codes_share_a_number_but_never_repeat(client, services, configure):
    configure({"server": {"access_code_prefix": "12345"}})  # 10 codes per number
    answers = [
        post(client, "/genesys/1/service/ri-code", {"_resource_group": "ONE"}).json()
        for _ in range(10)
    ]
    assert {a["_access_number"] for a in answers} == {"+18005550199"}
    assert len({a["_access_code"] for a in answers}) == 10
    assert all(a["_access_code"].startswith("12345") for a in answers)
    assert post(client, "/genesys/1/service/ri-code", {"_resource_group": "ONE"}).status_code == 503


def test_an_expired_reservation_frees_its_number(client, services):
    post(client, "/genesys/1/service/request-interaction", {"_resource_group": "ONE"})
    AccessReservation.objects.update(expires_at=timezone.now())
    response = post(client, "/genesys/1/service/request-interaction", {"_resource_group": "ONE"})
    assert response.status_code == 200
    assert AccessReservation.objects.count() == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"_resource_group": "NOPE"}, "Resource group NOPE is not configured"),
        ({"_provide_code": "maybe"}, "_provide_code must be true or false"),
        ({"_booking_expiration_timeout": "0"}, "_booking_expiration_timeout must be"),
        ({"_access_code_length": "x"}, "_access_code_length must be"),
        ({"_phone_number": "1" * 101}, "_phone_number must be"),
    ],
)
def test_bad_parameters_are_400(client, services, params, message):
    response = post(client, "/genesys/1/service/request-interaction", params, "json")
    body = assert_gms_error(response, 400, INVALID)
    assert body["message"].startswith(message)
    assert not ServiceInstance.objects.exists()


@pytest.mark.parametrize("prefix", ["7-9", "4"])
def test_access_codes_start_with_the_prefix(client, services, configure, prefix):
    configure({"server": {"access_code_prefix": prefix}})
    code = client.post("/genesys/1/service/ri-code").json()["_access_code"]
    assert len(code) == 6
    assert code[0] in ("789" if prefix == "7-9" else "4")


@pytest.mark.parametrize(
    ("prefix", "exception", "message"),
    [
        ("999999", "java.lang.IllegalArgumentException", "n must be positive"),
        ("9999999999", "java.lang.NumberFormatException", 'For input string: "9999999999"'),
    ],
)
def test_a_prefix_leaving_no_room_fails_as_gms_does(
    client, services, configure, prefix, exception, message
):
    # ClusterTests: every request fails with the Java exception passed through.
    configure({"server": {"access_code_prefix": prefix}})
    response = client.post("/genesys/1/service/ri-code")
    body = assert_gms_error(response, 500, exception)
    assert body == {"message": message, "exception": exception}
    assert not ServiceInstance.objects.exists()


def test_request_access_adds_a_number_to_a_live_instance(client, services):
    service_id = client.post("/genesys/1/service/request-interaction").json()["_id"]
    response = post(
        client,
        "/genesys/1/service/request-access",
        {"_id": service_id, "_resource_group": "ONE", "_booking_expiration_timeout": "120"},
        "json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body == {
        "_id": service_id,
        "_access_number": "+18005550199",
        "_expiration_time": "120",
    }
    # The instance and its data now live as long as the new reservation.
    instance = ServiceInstance.objects.get(pk=service_id)
    assert instance.expires_at - timezone.now() > timedelta(seconds=115)
    assert client.get(f"/genesys/1/service/{service_id}/storage").status_code == 200


def test_request_access_with_a_code_of_another_length(client, services):
    service_id = client.post("/genesys/1/service/request-interaction").json()["_id"]
    body = post(
        client,
        "/genesys/1/service/request-access",
        {"_id": service_id, "_provide_code": "true", "_access_code_length": "8"},
    ).json()
    assert len(body["_access_code"]) == 8


def test_request_access_needs_a_live_id(client, services):
    response = client.post("/genesys/1/service/request-access")
    assert_gms_error(response, 400, INVALID)
    response = post(client, "/genesys/1/service/request-access", {"_id": "nope"})
    body = assert_gms_error(
        response, 404, "com.genesyslab.gsg.services.exceptions.ServiceNotFoundException"
    )
    assert body["message"] == "Service nope not found"


def test_resources_section_is_validated(configure):
    with pytest.raises(ConfigError) as error:
        configure({"resources": {"DNIS": "+1800,abc,+1800", "EMPTY": " , "}})
    problems = {(option, message) for _, option, message in error.value.problems}
    assert ("DNIS", "'abc' is not an access number such as +18005550100") in problems
    assert ("DNIS", "lists an access number twice") in problems
    assert ("EMPTY", "lists no access number") in problems
