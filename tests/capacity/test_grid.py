"""Capacity grids (capacity.md §1, §2.1, §4): parsing, weekday numbering, DST days."""

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from apps.capacity.grid import (
    CapacityError,
    CapacityPlan,
    capacity_day,
    capacity_problems,
    parse_capacity,
)
from apps.capacity.slots import VALID_BUCKETS, bucket_start

ALL_HOURS_6 = {f"{hour:02d}00": 6 for hour in range(24)}
DOCUMENTED = {
    "_type": "builtin",
    "_service": "capacity",
    "_timezone": "UTC",
    "_capacity": "[Mon, Tue, Wed, Thu, Fri, Sat, Sun]",
    "_capacity_1": '{"1":{"0000":1,"0100":3}}',
    "_capacity_2": '{"2":{"0100":3}}',
    "_capacity_3": json.dumps({"3": ALL_HOURS_6}),
    "_capacity_4": '{"4":{"1100":3,"0100":3}}',
    "_capacity_5": '{"5":{"0100":3}}',
    "_capacity_6": '{"6":{"0100":3}}',
    "_capacity_7": '{"7":{"0000":1,"0100":3}}',
    "_capacity_add": "{}",
}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def grid(value: int, *, timezone: str = "UTC", **extra: str) -> CapacityPlan:
    """Every hour of every day at ``value``."""
    options = {"_timezone": timezone, **extra}
    for d in range(1, 8):
        options[f"_capacity_{d}"] = json.dumps({str(d): {f"{h:02d}00": value for h in range(24)}})
    return parse_capacity(options)


def test_weekday_index_is_1_sunday_to_7_saturday():
    # 2024-06-02 is a Sunday.
    week = [date(2024, 6, 2) + timedelta(days=n) for n in range(7)]
    assert [capacity_day(day) for day in week] == [1, 2, 3, 4, 5, 6, 7]


def test_documented_example_grid():
    plan = parse_capacity(DOCUMENTED)
    assert capacity_problems(DOCUMENTED) == []
    assert plan.timezone == "UTC"
    # Sunday = day 1, Tuesday = day 3, Wednesday = day 4, Saturday = day 7.
    assert plan.per_bucket(utc(2024, 6, 2, 0, 30)) == 1
    assert plan.per_bucket(utc(2024, 6, 2, 1, 59)) == 3
    assert plan.per_bucket(utc(2024, 6, 2, 2)) == 0  # an hour left out has no capacity
    assert plan.per_bucket(utc(2024, 6, 4, 17)) == 6
    assert plan.per_bucket(utc(2024, 6, 5, 11, 5)) == 3
    assert plan.per_bucket(utc(2024, 6, 5, 12)) == 0
    assert plan.per_bucket(utc(2024, 6, 8, 0)) == 1


def test_documented_capacity_query_example():
    # capacity.md §2.1: 2015-03-17 is a Tuesday (day 3), 6 every hour.
    plan = parse_capacity(DOCUMENTED)
    assert plan.hourly_periods(datetime(2015, 3, 17, 9, 15), datetime(2015, 3, 17, 12, 45)) == [
        (datetime(2015, 3, 17, 9, 15), datetime(2015, 3, 17, 10), 6),
        (datetime(2015, 3, 17, 10), datetime(2015, 3, 17, 11), 6),
        (datetime(2015, 3, 17, 11), datetime(2015, 3, 17, 12), 6),
        (datetime(2015, 3, 17, 12), datetime(2015, 3, 17, 12, 45), 6),
    ]
    assert plan.hourly_periods(datetime(2015, 3, 17, 9), datetime(2015, 3, 17, 9)) == []
    with pytest.raises(ValueError):
        plan.hourly_periods(utc(2015, 3, 17, 9), utc(2015, 3, 17, 10))


def test_genesys_test_grid_1000_every_hour_and_empty_list_add():
    plan = grid(1000, _capacity_add="[]")
    assert plan.per_bucket(utc(2024, 6, 3, 13)) == 1000


def test_missing_day_is_zero_and_timezone_defaults_to_utc():
    plan = parse_capacity({"_capacity_2": '{"2":{"0900":4}}'})
    assert plan.timezone == "UTC"
    assert plan.per_bucket(utc(2024, 6, 3, 9)) == 4  # Monday
    assert plan.per_bucket(utc(2024, 6, 4, 9)) == 0  # Tuesday: no section


def test_local_hour_in_the_capacity_timezone():
    plan = parse_capacity({"_timezone": "Europe/Paris", "_capacity_2": '{"2":{"0900":4}}'})
    assert plan.per_bucket(utc(2024, 6, 3, 7)) == 4  # 09:00 CEST
    assert plan.per_bucket(utc(2024, 1, 8, 8)) == 4  # 09:00 CET
    assert plan.per_bucket(utc(2024, 1, 8, 7)) == 0


@pytest.mark.parametrize(
    "value",
    [
        '{"2024-12-24": {"0900": 2, "1000": 2}, "2024-12-31": {}}',
        '[{"2024-12-24": {"0900": 2, "1000": 2}}, {"2024-12-31": {}}]',
    ],
)
def test_capacity_add_replaces_the_weekday_for_its_date(value: str):
    plan = grid(10, _capacity_add=value)
    assert plan.per_bucket(utc(2024, 12, 24, 9)) == 2
    assert plan.per_bucket(utc(2024, 12, 24, 11)) == 0  # replaced, not merged
    assert plan.per_bucket(utc(2024, 12, 31, 9)) == 0  # {} = zero all day
    assert plan.per_bucket(utc(2024, 12, 25, 9)) == 10


@pytest.mark.parametrize("value", ["{}", "[]", "", "  "])
def test_empty_capacity_add_forms(value: str):
    assert capacity_problems({"_capacity_add": value}) == []


def test_max_capacity_default_and_override():
    over = {"_capacity_1": '{"1":{"0900":1001}}'}
    assert [name for name, _ in capacity_problems(over)] == ["_capacity_1"]
    assert capacity_problems({**over, "_max_capacity": "2000"}) == []
    assert capacity_problems({"_capacity_1": '{"1":{"0900":1000}}'}) == []
    assert parse_capacity({"_max_capacity": "5"}).max_capacity == 5


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("_timezone", "EST"),
        ("_timezone", "Mars/Olympus"),
        ("_max_capacity", "-1"),
        ("_max_capacity", "ten"),
        ("_capacity_1", "{"),
        ("_capacity_1", '{"1":{"0900":NaN}}'),
        ("_capacity_1", '["1"]'),
        ("_capacity_1", '{"2":{"0900":1}}'),
        ("_capacity_1", '{"1":{"0900":1},"2":{}}'),
        ("_capacity_1", '{"1":[1,2]}'),
        ("_capacity_1", '{"1":{"0930":1}}'),
        ("_capacity_1", '{"1":{"900":1}}'),
        ("_capacity_1", '{"1":{"09:00":1}}'),
        ("_capacity_1", '{"1":{"2400":1}}'),
        ("_capacity_1", '{"1":{"9900":1}}'),
        ("_capacity_1", '{"1":{"0900":-1}}'),
        ("_capacity_1", '{"1":{"0900":1.5}}'),
        ("_capacity_1", '{"1":{"0900":2.0}}'),
        ("_capacity_1", '{"1":{"0900":"3"}}'),
        ("_capacity_1", '{"1":{"0900":true}}'),
        ("_capacity_1", '{"1":{"0900":null}}'),
        ("_capacity_1", '{"1":{"0900":1001}}'),
        ("_capacity_1", '{"1":{"0900":1,"0900":2}}'),
        ("_capacity_1", '{"1":{"0900":' + "9" * 5000 + "}}"),
        ("_capacity_1", "[" * 100000),
        ("_capacity_0", '{"0":{"0900":1}}'),
        ("_capacity_8", '{"8":{"0900":1}}'),
        ("_capacity_01", '{"01":{"0900":1}}'),
        ("_capacity_add", '{"2024-13-01":{}}'),
        ("_capacity_add", '{"24-12-01":{}}'),
        ("_capacity_add", '{"2024-12-01T00:00":{}}'),
        ("_capacity_add", '[{"2024-12-01":{}},{"2024-12-01":{"0900":1}}]'),
        ("_capacity_add", '[{"2024-12-01":{"0900":-2}}]'),
        ("_capacity_add", "[1]"),
        ("_capacity_add", '"2024-12-01"'),
    ],
)
def test_each_problem_is_reported_with_its_option_name(option: str, value: str):
    options = {"_capacity_2": '{"2":{"0900":3}}', option: value}
    problems = capacity_problems(options)
    assert [name for name, _ in problems] == [option]
    assert problems[0][1]
    with pytest.raises(CapacityError) as caught:
        parse_capacity(options)
    assert caught.value.option == option
    assert isinstance(caught.value, ValueError)


def test_every_problem_is_reported():
    options = {
        "_timezone": "PST",
        "_capacity_1": '{"1":{"0930":1}}',
        "_capacity_3": '{"3":{"0900":-1}}',
        "_capacity_add": "[1]",
    }
    assert [name for name, _ in capacity_problems(options)] == [
        "_timezone",
        "_capacity_1",
        "_capacity_3",
        "_capacity_add",
    ]


# --- DST days --------------------------------------------------------------------------


def test_hourly_periods_on_a_23_hour_day_leave_out_the_gap():
    plan = grid(5, timezone="Europe/Paris")
    cells = plan.hourly_periods(datetime(2024, 3, 31), datetime(2024, 4, 1))
    assert len(cells) == 23
    assert all(start.hour != 2 for start, _, _ in cells)
    assert cells[2] == (datetime(2024, 3, 31, 3), datetime(2024, 3, 31, 4), 5)


def test_hourly_periods_on_a_25_hour_day_list_the_repeated_hour_once():
    plan = grid(5, timezone="Europe/Paris")
    cells = plan.hourly_periods(datetime(2024, 10, 27), datetime(2024, 10, 28))
    assert [start.hour for start, _, _ in cells] == list(range(24))


def test_hourly_periods_keep_a_partly_skipped_hour():
    # Lord Howe moves its clocks by 30 minutes: 02:00 becomes 02:30 on 2024-10-06.
    plan = grid(5, timezone="Australia/Lord_Howe")
    cells = plan.hourly_periods(datetime(2024, 10, 6), datetime(2024, 10, 7))
    assert len(cells) == 24


def test_per_bucket_reads_both_occurrences_of_a_repeated_hour_as_that_hour():
    plan = parse_capacity(
        {"_timezone": "America/New_York", "_capacity_1": '{"1":{"0000":2,"0100":7,"0200":9}}'}
    )
    # 2024-11-03 (Sunday): 01:00-02:00 local happens at 05:00Z (EDT) and 06:00Z (EST).
    assert plan.per_bucket(utc(2024, 11, 3, 5, 30)) == 7
    assert plan.per_bucket(utc(2024, 11, 3, 6, 30)) == 7
    assert plan.per_bucket(utc(2024, 11, 3, 7, 30)) == 9
    assert plan.per_bucket(utc(2024, 11, 3, 4, 59)) == 2


def test_per_bucket_until_stops_at_an_offset_change_inside_the_hour():
    # Newfoundland changed clocks at 00:01 until 2011: at 02:31Z on 2010-11-07, 00:01 NDT
    # became 23:01 NST of the day before.
    plan = parse_capacity(
        {"_timezone": "America/St_Johns", "_capacity_7": '{"7":{"2300":5}}', "_capacity_1": "{}"}
    )
    capacity, until = plan.per_bucket_until(utc(2010, 11, 7, 2, 30))
    assert capacity == 0  # Sunday 00:00
    assert until <= utc(2010, 11, 7, 2, 31)
    assert plan.per_bucket(utc(2010, 11, 7, 2, 31)) == 5  # Saturday 23:01 again


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(
        ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "America/St_Johns"]
    ),
    st.datetimes(datetime(2005, 1, 1), datetime(2026, 12, 31)),
)
def test_per_bucket_until_holds_until_the_instant_it_gives(timezone, naive):
    plan = parse_capacity(
        {"_timezone": timezone}
        | {
            f"_capacity_{d}": json.dumps({str(d): {f"{h:02d}00": d * 100 + h for h in range(24)}})
            for d in range(1, 8)
        }
    )
    t = naive.replace(tzinfo=UTC)
    capacity, until = plan.per_bucket_until(t)
    assert t < until <= t + timedelta(hours=1)
    assert plan.per_bucket(until - timedelta(microseconds=1)) == capacity == plan.per_bucket(t)


# --- buckets add up (capacity.md §4) ---------------------------------------------------


def hour_total(plan: CapacityPlan, hour_start: datetime, minutes: int, hours: int = 1) -> int:
    step = timedelta(minutes=minutes)
    t, total = bucket_start(hour_start, minutes), 0
    while t < hour_start + timedelta(hours=hours):
        total += plan.per_bucket(t)
        t += step
    return total


def test_documented_worked_example():
    plan = grid(10)
    assert hour_total(plan, utc(2024, 6, 3, 14), 5) == 120
    assert hour_total(plan, utc(2024, 6, 3, 14), 15) == 40


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 1000), min_size=24, max_size=24),
    st.sampled_from([m for m in VALID_BUCKETS if m <= 60]),
    st.sampled_from(["UTC", "Europe/Paris", "America/New_York"]),
    st.dates(date(2023, 1, 1), date(2026, 12, 31)),
    st.integers(0, 23),
)
def test_an_hour_of_buckets_adds_up_to_capacity_times_buckets(values, minutes, timezone, day, hour):
    """C for a local hour with m-minute buckets is 60/m buckets of C each (capacity.md §4)."""
    hourly = {f"{h:02d}00": value for h, value in enumerate(values)}
    options = {f"_capacity_{d}": json.dumps({str(d): hourly}) for d in range(1, 8)}
    plan = parse_capacity({"_timezone": timezone, **options})
    local = datetime.combine(day, time(hour), ZoneInfo(timezone))
    assume(local.astimezone(UTC).astimezone(local.tzinfo).hour == hour)  # not in a DST gap
    assert hour_total(plan, local.astimezone(UTC), minutes) == values[hour] * 60 // minutes


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 1000), st.datetimes(datetime(2023, 1, 1), datetime(2026, 12, 31)))
def test_a_two_hour_bucket_takes_the_capacity_of_its_first_hour(capacity, naive):
    plan = grid(capacity)
    two_hours = bucket_start(naive.replace(tzinfo=UTC), 120)
    assert hour_total(plan, two_hours, 120, hours=2) == capacity
