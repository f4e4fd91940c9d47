"""Availability v1 and v2 (callback.md §3.6, §3.7) agree with booking: same slots, same counts."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from tests.callback.conftest import SERVICE, assert_callback_error, future, iso

V1 = f"/genesys/1/service/callback/{SERVICE}/availability"
V2 = f"/genesys/2/service/callback/{SERVICE}/availability"


def test_v1_lists_remaining_places_per_bucket(service, create, client) -> None:
    start = future(60)
    create(_desired_time=iso(start + timedelta(minutes=1)))
    response = client.get(V1, {"start": iso(start), "end": iso(start + timedelta(minutes=15))})
    assert response.status_code == 200
    assert response.json() == {
        iso(start): 1,
        iso(start + timedelta(minutes=5)): 2,
        iso(start + timedelta(minutes=10)): 2,
    }


def test_v1_drops_full_slots_and_limits(service, create, client) -> None:
    start = future(60)
    for n in range(2):
        create(_desired_time=iso(start), _customer_number=f"+1415555014{n}")
    body = client.get(V1, {"start": iso(start), "max-time-slots": "2"}).json()
    assert list(body) == [iso(start + timedelta(minutes=5)), iso(start + timedelta(minutes=10))]


def test_v1_defaults_to_a_day_from_now(service, client) -> None:
    body = client.get(V1).json()
    assert 287 <= len(body) <= 288
    assert all(key.endswith(".000Z") for key in body)


def test_v1_form_post(service, client) -> None:
    start = future(60)
    response = client.post(V1, {"start": iso(start), "number-of-days": "1"})
    assert response.status_code == 200
    assert len(response.json()) == 288


def test_v1_errors(service, client) -> None:
    assert_callback_error(client.get(V1, {"start": "soon"}), 400, "CallbackException")
    assert_callback_error(client.get(V1, {"number-of-days": "-1"}), 400, "CallbackException")
    assert_callback_error(client.get(V1, {"number-of-days": "400"}), 400, "CallbackException")
    missing = client.get("/genesys/1/service/callback/nope/availability")
    assert_callback_error(missing, 404, "CallbackExceptionNotFound")


def test_v2_reports_busy_slots_and_local_times(service, create, client) -> None:
    start = future(60)
    for n in range(2):
        create(_desired_time=iso(start), _customer_number=f"+1415555014{n}")
    query = {"start": iso(start), "end": iso(start + timedelta(minutes=10))}
    body = client.get(V2, query).json()
    assert body == {
        "durationMin": 5,
        "slots": [{"utcTime": iso(start + timedelta(minutes=5)), "capacity": 2, "total": 2}],
    }
    body = client.get(V2, {**query, "report-busy": "true", "timezone": "America/New_York"}).json()
    assert body["timezone"] == "America/New_York"
    first = body["slots"][0]
    assert (first["utcTime"], first["capacity"], first["total"]) == (iso(start), 0, 2)
    local = start.astimezone(ZoneInfo("America/New_York"))
    assert first["localTime"] == local.strftime("%Y-%m-%dT%H:%M:%S.000")


def test_v2_epoch_ms_and_local_start(service, client) -> None:
    start = future(60)
    body = client.get(
        V2, {"start-ms": str(int(start.timestamp() * 1000)), "max-time-slots": "1"}
    ).json()
    assert body["slots"][0]["utcTime"] == iso(start)
    local = start.astimezone(ZoneInfo("Europe/Paris"))
    body = client.get(
        V2,
        {
            "start": local.strftime("%Y-%m-%dT%H:%M:%S"),
            "timezone": "Europe/Paris",
            "max-time-slots": "1",
        },
    ).json()
    assert body["slots"][0]["utcTime"] == iso(start)


def test_v2_errors(service, client) -> None:
    assert_callback_error(client.get(V2, {"timezone": "Mars/Base"}), 400, "CallbackException")
    assert_callback_error(client.get(V2, {"report-busy": "maybe"}), 400, "CallbackException")
    assert_callback_error(client.get(V2, {"start-ms": "9" * 30}), 400, "CallbackException")
