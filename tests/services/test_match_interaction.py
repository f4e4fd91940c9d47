"""POST /genesys/1/service/match-interaction (service.md §3.3)."""

import pytest

from apps.services.models import AccessReservation, ServiceInstance
from apps.storage.models import StorageArea
from tests.conftest import assert_gms_error
from tests.services.conftest import post

pytestmark = pytest.mark.django_db
MATCH = "/genesys/1/service/match-interaction"
NOT_FOUND = "com.genesyslab.gsg.services.exceptions.ServiceNotFoundException"


def _reserve(client, service="request-interaction", **params):
    response = post(client, f"/genesys/1/service/{service}", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("encoding", ["form", "json", "multipart"])
def test_the_number_alone_matches_even_with_a_code(client, services, encoding):
    # ClusterTests: a POST with only _access_number returns request-interaction's _id.
    issued = _reserve(client, "ri-code", note="x")
    response = post(client, MATCH, {"_access_number": issued["_access_number"]}, encoding)
    assert response.status_code == 200, response.content
    body = response.json()
    instance = ServiceInstance.objects.get(pk=issued["_id"])
    assert body == {"_id": issued["_id"], "_data_id": instance.data_id}


def test_a_match_releases_the_reservation(client, services):
    issued = _reserve(client)
    assert post(client, MATCH, {"_access_number": issued["_access_number"]}).status_code == 200
    assert not AccessReservation.objects.exists()
    response = post(client, MATCH, {"_access_number": issued["_access_number"]})
    body = assert_gms_error(response, 404, NOT_FOUND)
    assert body["message"] == f"No service matches access number {issued['_access_number']}"
    # The instance itself lives on until its _ttl.
    assert ServiceInstance.objects.filter(pk=issued["_id"]).exists()


def test_a_wrong_code_or_another_caller_does_not_match(client, services):
    issued = _reserve(client, "ri-code", _phone_number="+14155550142")
    number, code = issued["_access_number"], issued["_access_code"]
    wrong = "000000" if code != "000000" else "111111"
    assert post(client, MATCH, {"_access_number": number, "_access_code": wrong}).status_code == 404
    caller = {"_access_number": number, "_phone_number": "+14155550199"}
    assert post(client, MATCH, caller).status_code == 404
    right = {"_access_number": number, "_access_code": code, "_phone_number": "+14155550142"}
    assert post(client, MATCH, right).json()["_id"] == issued["_id"]


def test_return_data_and_multiple_matches(client, services):
    first = _reserve(client, "ri-code", _resource_group="ONE", who="first")
    second = _reserve(client, "ri-code", _resource_group="ONE", who="second")
    response = post(
        client,
        MATCH,
        {
            "_access_number": "+18005550199",
            "_return_multiple_matches": "true",
            "_return_data": "true",
        },
        "json",
    )
    matches = response.json()["matches"]
    assert [(m["_id"], m["who"]) for m in matches] == [
        (first["_id"], "first"),
        (second["_id"], "second"),
    ]
    assert all(set(m) == {"_id", "_data_id", "who"} for m in matches)
    assert not AccessReservation.objects.exists()


def test_delete_service_removes_the_instance_and_its_data(client, services):
    issued = _reserve(client, note="x")
    data_id = ServiceInstance.objects.get(pk=issued["_id"]).data_id
    params = {"_access_number": issued["_access_number"], "_delete_service": "true"}
    assert post(client, MATCH, params).json()["_id"] == issued["_id"]
    assert not ServiceInstance.objects.exists()
    assert not StorageArea.objects.filter(pk=data_id).exists()


def test_flags_can_come_from_the_service_options(client, services, configure):
    configure(
        {
            "service.match-all": {
                "_type": "builtin",
                "_service": "match-interaction",
                "_return_multiple_matches": "true",
            }
        }
    )
    issued = _reserve(client)
    body = post(
        client, "/genesys/1/service/match-all", {"_access_number": issued["_access_number"]}
    )
    assert body.json() == {
        "matches": [{"_id": issued["_id"], "_data_id": body.json()["matches"][0]["_data_id"]}]
    }


@pytest.mark.parametrize(
    "params",
    [{}, {"_access_number": ""}, {"_access_number": "1\x002"}, {"_access_number": "1" * 200}],
)
def test_a_missing_or_unstorable_number_is_400(client, services, params):
    response = post(client, MATCH, params, "json")
    assert_gms_error(
        response, 400, "com.genesyslab.gsg.services.exceptions.InvalidParameterServiceException"
    )
