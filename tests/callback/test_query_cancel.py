"""Query by id and by properties (§3.4, §3.5), cancel (§3.2): records per §2."""

from datetime import timedelta

from django.utils import timezone

from apps.callback import machine
from apps.callback.models import Callback, State
from apps.contactcenter.selectors import find_by_source
from tests.callback.conftest import NUMBER, SERVICE, assert_callback_error, future, iso


def _record_is_all_strings(record: dict) -> None:
    assert all(isinstance(value, str) for value in record.values()), record
    assert record["_url"] == record["url"] == f"http://testserver/genesys/1/service/{record['_id']}"


def test_query_by_id(service, create, client) -> None:
    desired = future(60)
    callback_id = create(_desired_time=iso(desired), first_name="Ana", age=5).json()["_id"]
    records = client.get("/genesys/1/service/callback", {"_id": callback_id}).json()
    assert len(records) == 1
    record = records[0]
    _record_is_all_strings(record)
    assert record["_id"] == callback_id
    assert record["_service_name"] == SERVICE
    assert record["_customer_number"] == NUMBER
    assert record["_callback_state"] == "SCHEDULED"
    assert record["_desired_time"] == iso(desired)
    assert record["_expiration_time"] == iso(desired + timedelta(seconds=3600))
    assert (record["first_name"], record["age"]) == ("Ana", "5")
    assert "_callback_reason" not in record


def test_unknown_id_is_an_empty_list(service, client) -> None:
    response = client.get("/genesys/1/service/callback", {"_id": "nope"})
    assert (response.status_code, response.json()) == (200, [])


def test_query_by_properties_and_or_not(service, create, client) -> None:
    first = create(_desired_time=iso(future(60))).json()["_id"]
    second = create(_customer_number="+14155550143").json()["_id"]
    url = f"/genesys/1/service/callback/{SERVICE}"

    def ids(**query: str) -> set[str]:
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        return {record["_id"] for record in response.json()}

    assert ids(_customer_number=NUMBER) == {first}
    assert ids(_callback_state="QUEUED") == {second}
    assert ids(_callback_state="!QUEUED") == {first}
    assert ids(_customer_number=NUMBER, _callback_state="QUEUED") == set()
    assert ids(_customer_number=NUMBER, _callback_state="QUEUED", operand="OR") == {first, second}
    assert ids() == {first, second}


def test_lookup_keys_are_searchable_and_others_are_not(service, create, client) -> None:
    service(_customer_lookup_keys="_customer_number,account")
    callback_id = create(account="A-1").json()["_id"]
    create(_customer_number="+14155550143", account="A-2")
    url = f"/genesys/1/service/callback/{SERVICE}"
    assert [r["_id"] for r in client.get(url, {"account": "A-1"}).json()] == [callback_id]
    body = assert_callback_error(client.get(url, {"color": "red"}), 400, "CallbackException")
    assert body["message"] == "Key color is not searchable"
    assert_callback_error(client.get(url, {"operand": "XOR"}), 400, "CallbackException")


def test_cancel_then_read_back(service, create, client) -> None:
    callback_id = create().json()["_id"]
    response = client.delete(f"/genesys/1/service/callback/{SERVICE}/{callback_id}")
    assert (response.status_code, response.content) == (200, b"")
    record = client.get("/genesys/1/service/callback", {"_id": callback_id}).json()[0]
    assert (record["_callback_state"], record["_callback_reason"]) == ("COMPLETED", "CANCELLED")
    interaction = find_by_source(source="callback", source_id=callback_id)
    assert interaction.state == "abandoned"
    again = client.delete(f"/genesys/1/service/callback/{SERVICE}/{callback_id}")
    body = assert_callback_error(again, 400, "CallbackException")
    assert body["message"] == f"Callback {callback_id} is already completed"


def test_cancel_frees_the_bucket(service, create, client) -> None:
    slot = iso(future(60))
    ids = [
        create(_desired_time=slot, _customer_number=f"+1415555014{n}").json()["_id"]
        for n in range(2)
    ]
    assert create(_desired_time=slot).status_code == 400
    client.delete(f"/genesys/1/service/callback/{SERVICE}/{ids[0]}")
    assert create(_desired_time=slot).status_code == 200


def test_cancel_processing_is_refused(service, create, client) -> None:

    callback = Callback.objects.get(pk=create().json()["_id"])
    for to in (State.ROUTING, State.PROCESSING):
        machine.transition(callback, to=to, now=timezone.now())
    response = client.delete(f"/genesys/1/service/callback/{SERVICE}/{callback.pk}")
    body = assert_callback_error(response, 400, "CallbackException")
    assert body["message"] == f"Callback {callback.pk} cannot be cancelled in state PROCESSING"


def test_cancel_unknown_is_404(service, client) -> None:
    response = client.delete(f"/genesys/1/service/callback/{SERVICE}/nope")
    assert_callback_error(response, 404, "CallbackExceptionNotFound")
