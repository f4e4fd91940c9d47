"""Calendar query through HTTP (calendar.md §2), including DST weeks."""

from datetime import UTC, datetime
from unittest import mock

import pytest

from tests.conftest import assert_gms_error, basic

pytestmark = pytest.mark.django_db

CALENDAR_EXCEPTION = "com.genesyslab.gsg.services.calendar.CalendarException"


@pytest.fixture
def business_hours(configure):
    configure(
        {
            "service.business-hours": {
                "_type": "builtin",
                "_service": "office-hours",
                "_timezone": "Europe/Paris",
                "_ttl": "30",
                "_bh_regular1": "Mon-Fri 01:00-23:00",
                "_bh_add1": "07-14 12:00-14:30",
            }
        }
    )


def query(client, name="business-hours", **params):
    return client.get(f"/genesys/1/service/{name}", params)


def periods(body):
    return [(p["start"], p["end"]) for p in body["periods"]]


def test_the_documented_example_three_days(client, business_hours):
    response = query(client, start="2024-07-12T00:00:00Z", **{"number-of-days": "3"})
    assert response.status_code == 200
    body = response.json()
    assert body["error"] is None
    assert body["timezone"] == "Europe/Paris"
    # Friday 12 July (CEST, UTC+2), Saturday closed, Sunday 14 July is an added date,
    # Monday 15 July is touched by the end of the range.
    assert [d["date"] for d in body["days"]] == [
        "2024-07-12",
        "2024-07-13",
        "2024-07-14",
        "2024-07-15",
    ]
    assert body["days"][0]["periods"] == [
        {"start": "2024-07-11T23:00:00.000Z", "end": "2024-07-12T21:00:00.000Z"}
    ]
    assert body["days"][1]["periods"] == []
    assert body["days"][2]["periods"] == [
        {"start": "2024-07-14T10:00:00.000Z", "end": "2024-07-14T12:30:00.000Z"}
    ]
    assert periods(body) == [
        ("2024-07-11T23:00:00.000Z", "2024-07-12T21:00:00.000Z"),
        ("2024-07-14T10:00:00.000Z", "2024-07-14T12:30:00.000Z"),
        ("2024-07-14T23:00:00.000Z", "2024-07-15T21:00:00.000Z"),
    ]


def test_end_and_milliseconds_are_accepted(client, business_hours):
    response = query(client, start="2024-07-13T10:00:00.000Z", end="2024-07-13T11:00:00.000Z")
    assert response.json()["days"] == [{"date": "2024-07-13", "periods": []}]


@pytest.mark.parametrize(
    ("now", "open_now"),
    [
        (datetime(2024, 7, 12, 9, 0, tzinfo=UTC), True),
        (datetime(2024, 7, 12, 21, 30, tzinfo=UTC), False),  # 23:30 in Paris
        (datetime(2024, 7, 13, 9, 0, tzinfo=UTC), False),  # Saturday
    ],
)
def test_no_parameter_asks_whether_it_is_open_now(client, business_hours, now, open_now):
    with mock.patch("apps.officehours.apis.now", return_value=now):
        body = query(client).json()
    assert body["error"] is None
    assert bool(body["periods"]) is open_now
    assert len(body["days"]) == 1


def test_an_overnight_shift_is_open_after_midnight(client, configure):
    configure(
        {
            "service.night": {
                "_type": "builtin",
                "_service": "office-hours",
                "_timezone": "UTC",
                "_bh_regular1": "Mon 19:00-7:00",
            }
        }
    )
    with mock.patch("apps.officehours.apis.now", return_value=datetime(2024, 7, 16, 3, tzinfo=UTC)):
        body = query(client, "night").json()
    assert periods(body) == [("2024-07-15T19:00:00.000Z", "2024-07-16T07:00:00.000Z")]
    assert body["days"][0]["date"] == "2024-07-16"


@pytest.mark.parametrize(
    ("zone", "monday_before", "monday_after", "week_start"),
    [
        # Europe/Paris moves to summer time on Sunday 31 March 2024.
        ("Europe/Paris", ("2024-03-25T08:00:00.000Z", "2024-03-25T16:00:00.000Z"),
         ("2024-04-01T07:00:00.000Z", "2024-04-01T15:00:00.000Z"), "2024-03-25"),
        # ... and back on Sunday 27 October 2024.
        ("Europe/Paris", ("2024-10-21T07:00:00.000Z", "2024-10-21T15:00:00.000Z"),
         ("2024-10-28T08:00:00.000Z", "2024-10-28T16:00:00.000Z"), "2024-10-21"),
        # America/New_York: 10 March and 3 November 2024.
        ("America/New_York", ("2024-03-04T14:00:00.000Z", "2024-03-04T22:00:00.000Z"),
         ("2024-03-11T13:00:00.000Z", "2024-03-11T21:00:00.000Z"), "2024-03-04"),
        ("America/New_York", ("2024-10-28T13:00:00.000Z", "2024-10-28T21:00:00.000Z"),
         ("2024-11-04T14:00:00.000Z", "2024-11-04T22:00:00.000Z"), "2024-10-28"),
    ],
)  # fmt: skip
def test_dst_weeks_keep_local_hours(
    client, configure, zone, monday_before, monday_after, week_start
):
    configure(
        {
            "service.office": {
                "_type": "builtin",
                "_service": "office-hours",
                "_timezone": zone,
                "_bh_regular1": "Mon-Fri 09:00-17:00",
                "_bh_regular2": "Sun 01:00-04:00",
            }
        }
    )
    body = query(
        client, "office", start=f"{week_start}T12:00:00Z", **{"number-of-days": "7"}
    ).json()
    days = {d["date"]: d["periods"] for d in body["days"]}
    first_monday, next_monday = sorted(days)[0], sorted(days)[-1]
    assert (days[first_monday][0]["start"], days[first_monday][0]["end"]) == monday_before
    assert (days[next_monday][0]["start"], days[next_monday][0]["end"]) == monday_after
    # The Sunday of the change keeps 01:00-04:00 on the wall clock: 2 hours long in
    # spring (02:00-03:00 does not exist), 4 hours in autumn (02:00-03:00 happens twice).
    sunday = next(d for d in sorted(days) if datetime.fromisoformat(d).weekday() == 6)
    (period,) = days[sunday]
    start = datetime.fromisoformat(period["start"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(period["end"].replace("Z", "+00:00"))
    assert (end - start).total_seconds() / 3600 == (2 if week_start[5:7] == "03" else 4)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "12/07/2024"}, "Invalid date format for start: 12/07/2024"),
        (
            {"start": "2024-07-12T00:00:00Z", "end": "yesterday"},
            "Invalid date format for end: yesterday",
        ),
        ({"start": "2024-07-12T00:00:00Z", "number-of-days": "-1"}, "Invalid number-of-days: -1"),
        ({"start": "2024-07-12T00:00:00Z", "end": "2024-07-11T00:00:00Z"}, "end is before start"),
        ({"start": "9999-12-31T00:00:00Z", "number-of-days": "1"}, None),
    ],
)
def test_bad_parameters_are_400_calendar_exceptions(client, business_hours, params, message):
    body = assert_gms_error(query(client, **params), 400, CALENDAR_EXCEPTION)
    assert body["error"] == body["message"]
    if message:
        assert body["message"] == message


def test_an_unknown_service_is_404(client, db):
    body = assert_gms_error(
        query(client, "nope"),
        404,
        "com.genesyslab.gsg.services.exceptions.ServiceNotFoundException",
    )
    assert body["message"] == "Service nope not found"


def test_a_stored_bad_rule_answers_500_naming_the_option(client, business_hours):
    from apps.core.models import Option

    Option.objects.filter(name="_bh_regular1").update(value="Mon-Fri 9-5")
    body = assert_gms_error(query(client), 500, CALENDAR_EXCEPTION)
    assert body["message"] == "Invalid office hours configuration: _bh_regular1"
    assert body["error"] == body["message"]


def test_service_credentials_protect_the_query(client, configure, business_hours):
    configure(
        {
            "service.business-hours": {
                "_type": "builtin",
                "_service": "office-hours",
                "_bh_regular1": "Mon-Sun 00:00-24:00",
                "password": "cal",
            }
        }
    )
    assert_gms_error(query(client), 401)
    response = client.get(
        "/genesys/1/service/business-hours", headers={"Authorization": basic("x", "cal")}
    )
    assert response.status_code == 200


def test_a_malformed_office_hours_section_is_refused_on_save(configure):
    from apps.core.config import ConfigError

    with pytest.raises(ConfigError, match=r"\[service.bad\] _bh_regular1"):
        configure(
            {
                "service.bad": {
                    "_type": "builtin",
                    "_service": "office-hours",
                    "_bh_regular1": "Monday to Friday",
                }
            }
        )
