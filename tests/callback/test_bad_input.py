"""Bad input is a 4xx callback error, never a 5xx (the API is fuzzed), and expired records go."""

from datetime import timedelta

from django.utils import timezone

from apps.callback import services
from apps.callback.models import Callback
from tests.callback.conftest import SERVICE, assert_callback_error

V1 = f"/genesys/1/service/callback/{SERVICE}/availability"


def test_nul_and_oversized_values(service, client, create) -> None:
    url = f"/genesys/1/service/callback/{SERVICE}"
    assert_callback_error(client.get(url, {"_customer_number": "a\x00"}), 400, "GSGException")
    assert client.get("/genesys/1/service/callback", {"_id": "x" * 500}).json() == []
    assert_callback_error(client.delete(f"{url}/{'x' * 500}"), 404, "CallbackExceptionNotFound")
    assert_callback_error(create(_customer_number="1" * 101), 400, "CallbackException")
    assert_callback_error(create(note="a\x00"), 400, "CallbackException")
    assert_callback_error(create("a\x00b"), 400, "GSGException")


def test_json_values_are_stored_as_strings(service, create, client) -> None:
    service(_disallow_impossible_phone_numbers="false")
    response = create(n=5, flag=True, obj={"a": 1})
    assert response.status_code == 200, response.content
    record = client.get("/genesys/1/service/callback", {"_id": response.json()["_id"]}).json()[0]
    assert (record["n"], record["flag"], record["obj"]) == ("5", "true", '{"a": 1}')


def test_availability_bounds(service, client) -> None:
    for query in (
        {"start": "9999-12-31T23:59:59Z"},
        {"start-ms": "253402300799999"},
        {"start": "2030-01-02T00:00:00Z", "end": "2030-01-01T00:00:00Z"},
        {"max-time-slots": "²"},
    ):
        assert_callback_error(client.get(V1, query), 400, "CallbackException")


def test_purge_removes_expired_records(service, create, client) -> None:
    callback_id = create().json()["_id"]
    later = timezone.now() + timedelta(seconds=3601)
    assert services.purge_expired(now=later) == 1
    assert not Callback.objects.filter(pk=callback_id).exists()
