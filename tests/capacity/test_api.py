"""Capacity query through HTTP (capacity.md §2)."""

import pytest

from tests.conftest import assert_gms_error

pytestmark = pytest.mark.django_db

CAPACITY_EXCEPTION = "com.genesyslab.gsg.services.capacity.CapacityException"
HOURS_10_TO_09 = ",".join(f'"{h:02d}00":6' for h in range(24))

DOCUMENTED = {
    "_type": "builtin",
    "_service": "capacity",
    "_timezone": "UTC",
    "_capacity": "[Mon, Tue, Wed, Thu, Fri, Sat, Sun]",
    "_capacity_1": '{"1":{"0000":1,"0100":3}}',
    "_capacity_2": '{"2":{"0100":3}}',
    "_capacity_3": '{"3":{' + HOURS_10_TO_09 + "}}",
    "_capacity_4": '{"4":{"1100":3,"0100":3}}',
    "_capacity_5": '{"5":{"0100":3}}',
    "_capacity_6": '{"6":{"0100":3}}',
    "_capacity_7": '{"7":{"0000":1,"0100":3}}',
    "_capacity_add": "{}",
}


@pytest.fixture
def capacity(configure):
    configure({"service.Capacity": DOCUMENTED})


def query(client, name="Capacity", **params):
    return client.get(f"/genesys/1/service/{name}", params)


def test_the_documented_example(client, capacity):
    # 17 March 2015 was a Tuesday: day 3 when 1 is Sunday.
    response = query(client, start="2015-03-17T09:15:00.000", end="2015-03-17T12:45:00.000")
    assert response.status_code == 200
    assert response.json() == {
        "timezone": "UTC",
        "periods": [
            {"start": "2015-03-17T09:15:00.000", "end": "2015-03-17T10:00:00.000", "capacity": 6},
            {"start": "2015-03-17T10:00:00.000", "end": "2015-03-17T11:00:00.000", "capacity": 6},
            {"start": "2015-03-17T11:00:00.000", "end": "2015-03-17T12:00:00.000", "capacity": 6},
            {"start": "2015-03-17T12:00:00.000", "end": "2015-03-17T12:45:00.000", "capacity": 6},
        ],
    }


def test_hours_not_listed_have_no_capacity(client, capacity):
    # Wednesday (day 4) lists 01:00 and 11:00 only.
    body = query(client, start="2015-03-18T10:00:00", end="2015-03-18T13:00:00").json()
    assert [p["capacity"] for p in body["periods"]] == [0, 3, 0]


def test_times_in_another_timezone_are_converted(client, capacity):
    # 10:30-12:30 in New York (UTC-4 on 17 March 2015) is 14:30-16:30 UTC, Tuesday: 6 each.
    body = query(
        client, start="2015-03-17T10:30:00", end="2015-03-17T12:30:00", timezone="America/New_York"
    ).json()
    assert body["timezone"] == "America/New_York"
    assert body["periods"] == [
        {"start": "2015-03-17T10:30:00.000", "end": "2015-03-17T11:00:00.000", "capacity": 6},
        {"start": "2015-03-17T11:00:00.000", "end": "2015-03-17T12:00:00.000", "capacity": 6},
        {"start": "2015-03-17T12:00:00.000", "end": "2015-03-17T12:30:00.000", "capacity": 6},
    ]


def test_a_date_exception_replaces_the_weekday(client, configure):
    configure({"service.cap": DOCUMENTED | {"_capacity_add": '{"2015-03-17": {"1000": 2}}'}})
    body = query(client, "cap", start="2015-03-17T09:00:00", end="2015-03-17T12:00:00").json()
    assert [p["capacity"] for p in body["periods"]] == [0, 2, 0]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"end": "2015-03-17T12:00:00"}, "Parameter start is mandatory"),
        ({"start": "2015-03-17T12:00:00"}, "Parameter end is mandatory"),
        (
            {"start": "17/03/2015", "end": "2015-03-17T12:00:00"},
            "Invalid date format for start: 17/03/2015",
        ),
        ({"start": "2015-03-17T12:00:00Z", "end": "2015-03-17T13:00:00"}, None),
        ({"start": "2015-03-17T12:00:00", "end": "2015-03-17T12:00:00"}, "end must be after start"),
        ({"start": "2015-03-17T12:00:00", "end": "2015-03-17T13:00:00", "timezone": "EST5"}, None),
        ({"start": "9999-12-31T12:00:00", "end": "9999-12-31T23:59:00"}, None),
    ],
)
def test_bad_parameters_are_400_capacity_exceptions(client, capacity, params, message):
    body = assert_gms_error(query(client, **params), 400, CAPACITY_EXCEPTION)
    if message:
        assert body["message"] == message


def test_a_stored_bad_grid_answers_500_naming_the_option(client, capacity):
    from apps.core.models import Option

    Option.objects.filter(name="_capacity_3").update(value="{not json")
    body = assert_gms_error(
        query(client, start="2015-03-17T09:00:00", end="2015-03-17T10:00:00"),
        500,
        CAPACITY_EXCEPTION,
    )
    assert body["message"] == "Invalid capacity configuration _capacity_3"


def test_values_above_max_capacity_are_refused_on_save(configure):
    from apps.core.config import ConfigError

    with pytest.raises(ConfigError, match=r"\[service.cap\] _capacity_2"):
        configure({"service.cap": DOCUMENTED | {"_capacity_2": '{"2":{"0100":1001}}'}})
