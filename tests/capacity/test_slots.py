"""Free slots = open office hours, within capacity, minus bookings (capacity.md §4)."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.capacity.grid import CapacityPlan, parse_capacity
from apps.capacity.slots import (
    NO_CAPACITY,
    OFFICE_CLOSED,
    SLOT_FULL,
    VALID_BUCKETS,
    Slot,
    bucket_start,
    free_slots,
    slot_problem,
)
from apps.officehours.rules import OfficeHours, parse_office_hours

MONDAY = datetime(2024, 6, 3, tzinfo=UTC)


def at(hour: int, minute: int = 0, day: datetime = MONDAY) -> datetime:
    return day + timedelta(hours=hour, minutes=minute)


def office(timezone: str = "UTC", **rules: str) -> OfficeHours:
    return parse_office_hours({"_timezone": timezone, **rules})


def capacity(hourly: dict[str, int], timezone: str = "UTC") -> CapacityPlan:
    """The same hourly capacities every day."""
    days = {f"_capacity_{d}": json.dumps({str(d): hourly}) for d in range(1, 8)}
    return parse_capacity({"_timezone": timezone, **days})


def slots(**arguments) -> list[Slot]:
    arguments = {"office_hours": None, "capacity": None, "booked": {}, **arguments}
    return free_slots(**arguments)


def starts(found: list[Slot]) -> list[datetime]:
    return [slot.start for slot in found]


def test_valid_buckets():
    assert VALID_BUCKETS == (5, 10, 15, 20, 30, 60, 120)


def test_bucket_start_is_aligned_on_the_utc_epoch():
    assert bucket_start(at(9, 7), 5) == at(9, 5)
    assert bucket_start(at(9, 15), 15) == at(9, 15)
    assert bucket_start(at(9, 59), 20) == at(9, 40)
    assert bucket_start(at(9, 59), 120) == at(8)
    paris = datetime(2024, 6, 3, 11, 7, tzinfo=ZoneInfo("Europe/Paris"))
    assert bucket_start(paris, 60).tzinfo is UTC
    with pytest.raises(ValueError):
        bucket_start(at(9), 7)
    with pytest.raises(ValueError):
        bucket_start(datetime(2024, 6, 3, 9), 5)


def test_open_within_capacity_minus_booked():
    found = slots(
        start=at(0),
        end=at(24),
        bucket_minutes=15,
        office_hours=office(_bh_regular1="Mon 09:00-11:00"),
        capacity=capacity({"0900": 10, "1000": 0}),
        booked={at(9, 15): 3, at(9, 30): 10, at(10, 0): 1},
    )
    assert found == [Slot(at(9), 10, 10), Slot(at(9, 15), 7, 10), Slot(at(9, 45), 10, 10)]


def test_without_capacity_service_max_per_bucket_applies():
    found = slots(
        start=at(9),
        end=at(10),
        bucket_minutes=30,
        max_per_bucket=4,
        booked={at(9, 30): 1},
    )
    assert found == [Slot(at(9), 4, 4), Slot(at(9, 30), 3, 4)]
    assert [s.total for s in slots(start=at(9), end=at(10), bucket_minutes=30)] == [100, 100]


def test_capacity_wins_over_max_per_bucket():
    found = slots(
        start=at(9),
        end=at(10),
        bucket_minutes=60,
        capacity=capacity({"0900": 500}),
        max_per_bucket=1,
    )
    assert found == [Slot(at(9), 500, 500)]


def test_report_busy_lists_full_slots_but_never_zero_capacity_hours():
    arguments = {
        "start": at(9),
        "end": at(11),
        "bucket_minutes": 30,
        "capacity": capacity({"0900": 2, "1000": 0}),
        "booked": {at(9): 2, at(9, 30): 5},
    }
    assert slots(**arguments) == []
    assert slots(**arguments, report_busy=True) == [Slot(at(9), 0, 2), Slot(at(9, 30), 0, 2)]


def test_limit_caps_the_count():
    found = slots(start=at(0), end=at(24), bucket_minutes=60, booked={at(0): 100}, limit=3)
    assert starts(found) == [at(1), at(2), at(3)]
    assert slots(start=at(0), end=at(24), bucket_minutes=60, limit=0) == []
    with pytest.raises(ValueError):
        slots(start=at(0), end=at(24), bucket_minutes=60, limit=-1)


def test_a_slot_ending_after_closing_time_is_not_offered():
    hours = office(_bh_regular1="Mon 09:10-09:50")
    found = slots(start=at(0), end=at(24), bucket_minutes=15, office_hours=hours)
    assert starts(found) == [at(9, 15), at(9, 30)]
    exact = office(_bh_regular1="Mon 09:00-10:00")
    found = slots(start=at(0), end=at(24), bucket_minutes=15, office_hours=exact)
    assert starts(found) == [at(9), at(9, 15), at(9, 30), at(9, 45)]  # may end at closing


def test_slots_start_in_start_end_and_may_end_after_end():
    found = slots(start=at(9, 7), end=at(9, 31), bucket_minutes=15)
    assert starts(found) == [at(9, 15), at(9, 30)]
    assert slots(start=at(9), end=at(9), bucket_minutes=15) == []


def test_a_bucket_across_midnight_inside_joined_periods_is_offered():
    hours = office(_bh_regular1="Mon 20:00-24:00", _bh_regular2="Tue 00:00-02:00")
    found = slots(start=at(0), end=at(48), bucket_minutes=120, office_hours=hours)
    assert starts(found) == [at(20), at(22), at(24)]


def test_overnight_slots():
    hours = office(_bh_regular1="Mon 23:00-01:00")
    found = slots(start=at(0), end=at(48), bucket_minutes=30, office_hours=hours)
    assert starts(found) == [at(23), at(23, 30), at(24), at(24, 30)]


def test_slots_across_spring_forward_in_paris():
    # 2024-03-31: 02:00 CET jumps to 03:00 CEST at 01:00Z.
    sunday = datetime(2024, 3, 31, tzinfo=UTC)
    found = slots(
        start=sunday - timedelta(days=1),
        end=sunday + timedelta(days=1),
        bucket_minutes=30,
        office_hours=office("Europe/Paris", _bh_regular1="Sun 01:00-04:00"),
        capacity=capacity({"0100": 1, "0200": 2, "0300": 3}, "Europe/Paris"),
    )
    assert [(s.start, s.total) for s in found] == [
        (at(0, 0, sunday), 1),
        (at(0, 30, sunday), 1),
        (at(1, 0, sunday), 3),
        (at(1, 30, sunday), 3),
    ]


def test_slots_across_fall_back_in_paris():
    # 2024-10-27: 03:00 CEST goes back to 02:00 CET at 01:00Z; 02:00-03:00 happens twice.
    sunday = datetime(2024, 10, 27, tzinfo=UTC)
    found = slots(
        start=sunday - timedelta(days=1),
        end=sunday + timedelta(days=1),
        bucket_minutes=60,
        office_hours=office("Europe/Paris", _bh_regular1="Sun 01:00-04:00"),
        capacity=capacity({"0100": 1, "0200": 2, "0300": 3}, "Europe/Paris"),
        booked={at(0, 0, sunday): 1},
    )
    assert found == [
        Slot(at(-1, 0, sunday), 1, 1),
        Slot(at(0, 0, sunday), 1, 2),
        Slot(at(1, 0, sunday), 2, 2),
        Slot(at(2, 0, sunday), 3, 3),
    ]


def test_half_hour_offset_zone_buckets_take_the_local_hour_of_their_start():
    # Asia/Kolkata is +05:30: local 09:00 is 03:30Z.
    found = slots(
        start=at(3),
        end=at(5),
        bucket_minutes=30,
        capacity=capacity({"0800": 1, "0900": 2, "1000": 4}, "Asia/Kolkata"),
    )
    assert [(s.start, s.total) for s in found] == [
        (at(3), 1),
        (at(3, 30), 2),
        (at(4), 2),
        (at(4, 30), 4),
    ]


def test_slot_problem_reasons():
    arguments = {
        "bucket_minutes": 15,
        "office_hours": office(_bh_regular1="Mon 09:00-10:00", _bh_regular2="Mon 10:10-12:00"),
        "capacity": capacity({"0900": 2, "1100": 1}),
        "booked": {at(9, 15): 2},
    }
    assert slot_problem(at(9, 5), **arguments) is None
    assert slot_problem(at(9, 20), **arguments) == SLOT_FULL
    assert slot_problem(at(8, 59), **arguments) == OFFICE_CLOSED
    assert slot_problem(at(10, 12), **arguments) == OFFICE_CLOSED  # its bucket opens at 10:00
    assert slot_problem(at(10, 20), **arguments) == NO_CAPACITY
    assert slot_problem(at(11, 59), **arguments) is None


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        slots(start=datetime(2024, 6, 3), end=at(24), bucket_minutes=5)
    with pytest.raises(ValueError):
        slots(start=at(0), end=at(24), bucket_minutes=5, booked={datetime(2024, 6, 3, 9): 1})


# --- properties ------------------------------------------------------------------------

clock = st.integers(0, 23).map(lambda hour: f"{hour}:00") | st.sampled_from(["9:10", "17:45"])
days = st.sampled_from(["Mon-Fri", "Sat-Mon", "Sun"])


@st.composite
def services(draw) -> dict:
    """The scheduling options of a callback service, as free_slots takes them."""
    zone = draw(st.sampled_from(["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata"]))
    rules = {}
    for n in range(draw(st.integers(0, 2))):
        opening, closing = draw(clock), draw(clock | st.just("24:00"))
        if opening != closing:
            rules[f"_bh_regular{n}"] = f"{draw(days)} {opening}-{closing}"
    hourly = {f"{hour:02d}00": draw(st.integers(0, 3)) for hour in range(24)}
    return {
        "office_hours": office(zone, **rules) if rules else None,
        "capacity": capacity(hourly, zone) if draw(st.booleans()) else None,
        "max_per_bucket": draw(st.integers(0, 3)),
        "bucket_minutes": draw(st.sampled_from(VALID_BUCKETS)),
    }


@settings(max_examples=200, deadline=None)
@given(
    services(),
    st.datetimes(datetime(2024, 1, 1), datetime(2024, 12, 31)),
    st.lists(st.integers(0, 72 * 60 - 1), max_size=30),
    st.data(),
)
def test_booking_check_agrees_with_free_slots(service, naive, booked_minutes, data):
    step = timedelta(minutes=service["bucket_minutes"])
    hours, plan = service["office_hours"], service["capacity"]
    start = bucket_start(naive.replace(tzinfo=UTC), service["bucket_minutes"])
    end = start + timedelta(days=3)
    booked: dict[datetime, int] = {}
    for minute in booked_minutes:
        bucket = bucket_start(start + timedelta(minutes=minute), service["bucket_minutes"])
        booked[bucket] = booked.get(bucket, 0) + 1
    offered = {s.start: s for s in free_slots(start=start, end=end, booked=booked, **service)}
    busy = {
        s.start: s
        for s in free_slots(start=start, end=end, booked=booked, report_busy=True, **service)
    }
    assert offered == {t: s for t, s in busy.items() if s.capacity > 0}
    for slot in busy.values():
        total = plan.per_bucket(slot.start) if plan else service["max_per_bucket"]
        assert slot.total == total > 0
        assert slot.capacity == max(total - booked.get(slot.start, 0), 0)
        if hours is not None:
            assert hours.open_intervals(slot.start, slot.start + step) == [
                (slot.start, slot.start + step)
            ]

    minutes = st.integers(0, 72 * 60 - 1)
    desired_minute = data.draw(st.one_of(minutes, st.sampled_from(booked_minutes or [0])))
    desired = start + timedelta(minutes=desired_minute)
    bucket = bucket_start(desired, service["bucket_minutes"])
    problem = slot_problem(desired, booked=booked, **service)
    assert (problem is None) == (bucket in offered)
    assert (problem == SLOT_FULL) == (bucket in busy and busy[bucket].capacity == 0)
    whole_open = hours is None or hours.open_intervals(bucket, bucket + step) == [
        (bucket, bucket + step)
    ]
    total = plan.per_bucket(bucket) if plan else service["max_per_bucket"]
    assert (bucket in busy) == (whole_open and total > 0)
    if problem == OFFICE_CLOSED:
        assert not whole_open
