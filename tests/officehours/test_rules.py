"""Office hours (calendar.md §1, §1.1): parsing, evaluation, and exactness across DST."""

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.officehours.rules import (
    DAY_NAMES,
    OfficeHours,
    OfficeHoursError,
    office_hours_problems,
    parse_office_hours,
    wall_clock_to_utc,
)

PARIS = "Europe/Paris"
NEW_YORK = "America/New_York"
MICRO = timedelta(microseconds=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def hours(**options: str) -> OfficeHours:
    return parse_office_hours(options)


def day_utc(office: OfficeHours, day: date) -> list[tuple[datetime, datetime]]:
    """open_intervals from local midnight of ``day`` to the next local midnight."""
    zone = office.zone
    start, end = (datetime.combine(d, datetime.min.time(), zone) for d in (day, day + timedelta(1)))
    return office.open_intervals(start.astimezone(UTC), end.astimezone(UTC))


# --- the documented examples -----------------------------------------------------------


def test_documented_example_paris_with_add_date():
    office = hours(
        _timezone=PARIS, _ttl="30", _bh_regular1="Mon-Fri 01:00-23:00", _bh_add1="07-14 12:00-14:30"
    )
    # 2024-07-12 is a Friday (CEST, +2), 2024-07-14 a Sunday: only the add-date period.
    assert office.open_intervals(utc(2024, 7, 12), utc(2024, 7, 15)) == [
        (utc(2024, 7, 12), utc(2024, 7, 12, 21)),
        (utc(2024, 7, 14, 10), utc(2024, 7, 14, 12, 30)),
        (utc(2024, 7, 14, 23), utc(2024, 7, 15)),
    ]
    # 2025-07-14 is a Monday: the add date lies inside the regular hours (union).
    assert office.open_intervals(utc(2025, 7, 14), utc(2025, 7, 15)) == [
        (utc(2025, 7, 14), utc(2025, 7, 14, 21)),
        (utc(2025, 7, 14, 23), utc(2025, 7, 15)),
    ]
    assert office.timezone == PARIS


def test_genesys_test_config_with_holiday_and_empty_add():
    office = hours(
        _bh_regular1="Mon-Fri 08:00-20:00", _bh_add1="", _holiday1="2020-07-15", _timezone="UTC"
    )
    assert office.open_intervals(utc(2020, 7, 14), utc(2020, 7, 17)) == [
        (utc(2020, 7, 14, 8), utc(2020, 7, 14, 20)),
        (utc(2020, 7, 16, 8), utc(2020, 7, 16, 20)),
    ]


def test_all_week_all_day_is_one_interval():
    office = hours(_bh_regular1="Mon-Sun 00:00-24:00", _timezone=PARIS)
    assert office.open_intervals(utc(2024, 3, 25), utc(2024, 4, 8)) == [
        (utc(2024, 3, 25), utc(2024, 4, 8))
    ]


def test_missing_timezone_means_utc():
    office = hours(_bh_regular1="Mon 09:00-10:00")
    assert office.timezone == "UTC"
    assert office.open_intervals(utc(2024, 6, 3), utc(2024, 6, 4)) == [
        (utc(2024, 6, 3, 9), utc(2024, 6, 3, 10))
    ]


# --- day ranges, overnight, 24:00 ------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "open_days"),
    [
        ("Sat-Mon 10:00-12:00", {"Sat", "Sun", "Mon"}),
        ("Fri-Tue 10:00-12:00", {"Fri", "Sat", "Sun", "Mon", "Tue"}),
        ("Sun-Sat 10:00-12:00", set(DAY_NAMES)),
        ("Mon-Sun 10:00-12:00", set(DAY_NAMES)),
        ("Mon-Mon 10:00-12:00", {"Mon"}),
        ("Wed 10:00-12:00", {"Wed"}),
        ("Tue-Thu 10:00-12:00", {"Tue", "Wed", "Thu"}),
    ],
)
def test_day_ranges_including_wrap_over_the_week_end(rule: str, open_days: set[str]):
    office = hours(_bh_regular1=rule)
    monday = date(2024, 6, 3)
    for offset, name in enumerate(DAY_NAMES):
        noon = datetime.combine(monday + timedelta(days=offset), datetime.min.time(), UTC)
        assert office.is_open(noon + timedelta(hours=11)) == (name in open_days), name


def test_overnight_range_runs_into_the_next_day():
    office = hours(_bh_regular1="Fri 19:00-7:00")
    # 2024-06-07 is a Friday.
    assert office.open_intervals(utc(2024, 6, 6), utc(2024, 6, 10)) == [
        (utc(2024, 6, 7, 19), utc(2024, 6, 8, 7))
    ]
    assert office.is_open(utc(2024, 6, 8, 6, 59, 59, 999999))
    assert not office.is_open(utc(2024, 6, 8, 7))
    assert not office.is_open(utc(2024, 6, 7, 7))  # Friday morning: Thursday had no night


def test_24_00_ends_at_next_midnight_and_joins_the_next_day():
    office = hours(_bh_regular1="Mon 18:00-24:00", _bh_regular2="Tue 00:00-02:00")
    assert office.open_intervals(utc(2024, 6, 3), utc(2024, 6, 5)) == [
        (utc(2024, 6, 3, 18), utc(2024, 6, 4, 2))
    ]


def test_overlapping_and_adjacent_rules_merge():
    office = hours(
        _bh_regular1="Mon 08:00-12:00",
        _bh_regular2="Mon 11:00-13:00",
        _bh_regular3="Mon 13:00-14:00",
        _bh_regular_late="Mon 15:00-16:00",
    )
    assert office.open_intervals(utc(2024, 6, 3), utc(2024, 6, 4)) == [
        (utc(2024, 6, 3, 8), utc(2024, 6, 3, 14)),
        (utc(2024, 6, 3, 15), utc(2024, 6, 3, 16)),
    ]


def test_whitespace_and_leading_zero_are_lenient():
    office = hours(_bh_regular1="  Mon -  Fri   9:00 -  17:30 ", _timezone=" UTC ")
    assert office.open_intervals(utc(2024, 6, 3), utc(2024, 6, 4)) == [
        (utc(2024, 6, 3, 9), utc(2024, 6, 3, 17, 30))
    ]


# --- add, drop, holiday, effective dates -----------------------------------------------


def test_drop_wins_over_add_and_regular():
    office = hours(
        _bh_regular1="Mon-Sun 08:00-20:00",
        _bh_add1="2024-07-14 21:00-22:00",
        _bh_drop1="07-14",
    )
    assert office.open_intervals(utc(2024, 7, 13), utc(2024, 7, 16)) == [
        (utc(2024, 7, 13, 8), utc(2024, 7, 13, 20)),
        (utc(2024, 7, 15, 8), utc(2024, 7, 15, 20)),
    ]
    assert office.day_periods(date(2025, 7, 14)) == []  # MM-dd recurs every year


def test_drop_ignores_a_time_suffix_and_closes_the_whole_day():
    office = hours(_bh_regular1="Mon-Sun 08:00-20:00", _bh_drop1="2024-12-25 10:00-12:00")
    assert office.day_periods(date(2024, 12, 25)) == []
    assert office.day_periods(date(2025, 12, 25)) != []  # a dated drop does not recur


def test_holiday_is_an_alias_of_drop_in_both_date_forms():
    office = hours(_bh_regular1="Mon-Sun 08:00-20:00", _holiday1="12-25", _holiday2="2024-01-01")
    assert office.day_periods(date(2030, 12, 25)) == []
    assert office.day_periods(date(2024, 1, 1)) == []
    assert office.day_periods(date(2025, 1, 1)) != []


def test_add_date_forms_and_leap_day():
    office = hours(_bh_add1="02-29 10:00-11:00", _bh_add2="2023-03-01 22:00-02:00")
    assert office.open_intervals(utc(2024, 2, 28), utc(2024, 3, 2)) == [
        (utc(2024, 2, 29, 10), utc(2024, 2, 29, 11))
    ]
    assert office.open_intervals(utc(2023, 2, 28), utc(2023, 3, 3)) == [
        (utc(2023, 3, 1, 22), utc(2023, 3, 2, 2))
    ]


def test_effective_dates_close_the_office_outside_their_union():
    office = hours(
        _bh_regular1="Mon-Sun 09:00-10:00",
        _effective_dates1="2024-06-03 to 2024-06-04",
        _effective_dates2="2024-06-07",
    )
    opened = {start.date() for start, _ in office.open_intervals(utc(2024, 6, 1), utc(2024, 6, 10))}
    assert opened == {date(2024, 6, 3), date(2024, 6, 4), date(2024, 6, 7)}


def test_effective_dates_of_an_alternative_do_not_limit_the_service():
    office = hours(
        _bh_regular1="Mon-Sun 09:00-10:00",
        _effective_dates1="2024-12-20 to 2025-01-05",
        _use_alternative1="christmas-hours",
    )
    assert office.is_open(utc(2024, 6, 3, 9, 30))


# --- invalid options -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("_timezone", "EST"),
        ("_timezone", "PST"),
        ("_timezone", "EST5"),
        ("_timezone", "Europe/Pariss"),
        ("_timezone", "europe/paris"),
        ("_timezone", "localtime"),
        ("_timezone", "../etc/passwd"),
        ("_bh_regular1", "Mon-Fri"),
        ("_bh_regular1", "Mon-Fri 08:00"),
        ("_bh_regular1", "mon-fri 08:00-20:00"),
        ("_bh_regular1", "Monday-Friday 08:00-20:00"),
        ("_bh_regular1", "Mon-Fri 8-20"),
        ("_bh_regular1", "Mon-Fri 08:00-20:00, 21:00-22:00"),
        ("_bh_regular1", "Mon-Fri 25:00-26:00"),
        ("_bh_regular1", "Mon-Fri 08:60-20:00"),
        ("_bh_regular1", "Mon-Fri 24:00-08:00"),
        ("_bh_regular1", "Mon-Fri 08:00-24:30"),
        ("_bh_regular1", "Mon-Fri 08:00-08:00"),
        ("_bh_regular1", "Mon-Fri 08:00:00-20:00:00"),
        ("_bh_regular1", "Mon-Fri 008:00-20:00"),
        ("_bh_regular1", "Mon-Fri ٠٨:00-20:00"),
        ("_bh_add1", "2024-07-14"),
        ("_bh_add1", "13-01 10:00-11:00"),
        ("_bh_add1", "2023-02-29 10:00-11:00"),
        ("_bh_add1", "7-14 10:00-11:00"),
        ("_bh_add1", "Mon 10:00-11:00"),
        ("_bh_drop1", "2024-02-30"),
        ("_bh_drop1", "12/25"),
        ("_bh_drop1", "12-25 all day"),
        ("_holiday1", "2024-7-15"),
        ("_effective_dates1", "2024-06-01 - 2024-06-30"),
        ("_effective_dates1", "2024-06-30 to 2024-06-01"),
        ("_effective_dates1", "06-01 to 06-30"),
        ("_effective_dates1", "2024-06-31"),
    ],
)
def test_each_invalid_option_is_reported_with_its_name(option: str, value: str):
    options = {"_bh_regular9": "Mon-Fri 08:00-20:00", option: value}
    problems = office_hours_problems(options)
    assert [name for name, _ in problems] == [option]
    assert problems[0][1]
    with pytest.raises(OfficeHoursError) as caught:
        parse_office_hours(options)
    assert caught.value.option == option
    assert isinstance(caught.value, ValueError)


def test_every_problem_is_reported_and_the_first_is_raised():
    options = {
        "_bh_regular2": "Mon-Fro 08:00-20:00",
        "_bh_regular10": "Mon 8",
        "_timezone": "CET",
        "_holiday1": "2024-13-01",
        "_type": "builtin",
        "_include_regular1": "other",
    }
    assert [name for name, _ in office_hours_problems(options)] == [
        "_timezone",
        "_bh_regular2",
        "_bh_regular10",
        "_holiday1",
    ]
    with pytest.raises(OfficeHoursError) as caught:
        parse_office_hours(options)
    assert caught.value.option == "_timezone"
    assert "Unknown timezone CET" in caught.value.message


def test_valid_sections_have_no_problems():
    assert office_hours_problems({}) == []
    assert (
        office_hours_problems(
            {
                "_timezone": "America/Toronto",
                "_bh_regular1": "Mon-Sun 00:00-24:00",
                "_bh_add1": "",
                "_bh_drop1": "",
                "_effective_dates1": "2024-01-01 to 2024-12-31",
            }
        )
        == []
    )


def test_naive_datetimes_are_refused():
    office = hours(_bh_regular1="Mon 09:00-10:00")
    with pytest.raises(ValueError):
        office.is_open(datetime(2024, 6, 3, 9))
    with pytest.raises(ValueError):
        office.open_intervals(datetime(2024, 6, 3), utc(2024, 6, 4))


# --- DST -------------------------------------------------------------------------------


def test_paris_spring_forward_period_starting_in_the_gap_starts_when_it_ends():
    # 2024-03-31 (a Sunday): 02:00 CET jumps to 03:00 CEST, i.e. at 01:00Z.
    office = hours(_timezone=PARIS, _bh_regular1="Sun 02:30-05:00")
    assert day_utc(office, date(2024, 3, 31)) == [(utc(2024, 3, 31, 1), utc(2024, 3, 31, 3))]


def test_paris_spring_forward_period_ending_in_the_gap_ends_at_the_gap_end():
    office = hours(_timezone=PARIS, _bh_regular1="Sun 00:00-02:30")
    assert day_utc(office, date(2024, 3, 31)) == [(utc(2024, 3, 30, 23), utc(2024, 3, 31, 1))]


def test_paris_period_wholly_inside_the_gap_is_never_open():
    office = hours(_timezone=PARIS, _bh_regular1="Sun 02:15-02:45")
    assert day_utc(office, date(2024, 3, 31)) == []
    assert office.periods_by_local_day(utc(2024, 3, 31, 12), utc(2024, 3, 31, 12)) == [
        (date(2024, 3, 31), [])
    ]


def test_paris_fall_back_period_spanning_the_repeated_hour_is_open_for_both():
    # 2024-10-27: 03:00 CEST goes back to 02:00 CET at 01:00Z; 02:00-03:00 happens twice.
    office = hours(_timezone=PARIS, _bh_regular1="Sun 01:00-04:00")
    [(start, end)] = day_utc(office, date(2024, 10, 27))
    assert (start, end) == (utc(2024, 10, 26, 23), utc(2024, 10, 27, 3))
    assert end - start == timedelta(hours=4)


def test_paris_period_inside_the_repeated_hour_is_open_twice():
    office = hours(_timezone=PARIS, _bh_regular1="Sun 02:15-02:45")
    twice = [(utc(2024, 10, 27, 0, 15), utc(2024, 10, 27, 0, 45))]
    twice.append((utc(2024, 10, 27, 1, 15), utc(2024, 10, 27, 1, 45)))
    assert day_utc(office, date(2024, 10, 27)) == twice
    assert office.periods_by_local_day(utc(2024, 10, 27), utc(2024, 10, 27)) == [
        (date(2024, 10, 27), twice)
    ]


def test_paris_business_hours_keep_local_times_across_both_changes():
    office = hours(_timezone=PARIS, _bh_regular1="Mon-Fri 08:00-20:00")
    assert day_utc(office, date(2024, 3, 29)) == [(utc(2024, 3, 29, 7), utc(2024, 3, 29, 19))]
    assert day_utc(office, date(2024, 4, 1)) == [(utc(2024, 4, 1, 6), utc(2024, 4, 1, 18))]
    assert day_utc(office, date(2024, 10, 25)) == [(utc(2024, 10, 25, 6), utc(2024, 10, 25, 18))]
    assert day_utc(office, date(2024, 10, 28)) == [(utc(2024, 10, 28, 7), utc(2024, 10, 28, 19))]


def test_new_york_spring_forward_gap():
    # 2024-03-10: 02:00 EST jumps to 03:00 EDT at 07:00Z.
    office = hours(_timezone=NEW_YORK, _bh_regular1="Sun 02:30-05:00")
    assert day_utc(office, date(2024, 3, 10)) == [(utc(2024, 3, 10, 7), utc(2024, 3, 10, 9))]
    overnight = hours(_timezone=NEW_YORK, _bh_regular1="Sat 22:00-06:00")
    assert overnight.open_intervals(utc(2024, 3, 9, 12), utc(2024, 3, 11)) == [
        (utc(2024, 3, 10, 3), utc(2024, 3, 10, 10))
    ]


def test_new_york_fall_back_repeated_hour():
    # 2024-11-03: 02:00 EDT goes back to 01:00 EST at 06:00Z; 01:00-02:00 happens twice.
    office = hours(_timezone=NEW_YORK, _bh_regular1="Sun 00:30-03:00")
    assert day_utc(office, date(2024, 11, 3)) == [(utc(2024, 11, 3, 4, 30), utc(2024, 11, 3, 8))]
    inside = hours(_timezone=NEW_YORK, _bh_regular1="Sun 01:15-01:45")
    assert day_utc(inside, date(2024, 11, 3)) == [
        (utc(2024, 11, 3, 5, 15), utc(2024, 11, 3, 5, 45)),
        (utc(2024, 11, 3, 6, 15), utc(2024, 11, 3, 6, 45)),
    ]
    assert inside.is_open(utc(2024, 11, 3, 5, 15))
    assert not inside.is_open(utc(2024, 11, 3, 6))
    assert inside.is_open(utc(2024, 11, 3, 6, 44, 59))


def test_is_open_boundaries_start_inclusive_end_exclusive():
    office = hours(_timezone=PARIS, _bh_regular1="Mon-Fri 08:00-20:00")
    opens, closes = utc(2024, 6, 3, 6), utc(2024, 6, 3, 18)
    assert not office.is_open(opens - MICRO)
    assert office.is_open(opens)
    assert office.is_open(closes - MICRO)
    assert not office.is_open(closes)
    spring = hours(_timezone=PARIS, _bh_regular1="Sun 02:30-05:00")
    assert not spring.is_open(utc(2024, 3, 31, 1) - MICRO)
    assert spring.is_open(utc(2024, 3, 31, 1))


def test_periods_by_local_day_keeps_whole_periods_under_the_date_they_start():
    office = hours(_timezone=PARIS, _bh_regular1="Fri 19:00-07:00", _bh_regular2="Sat 09:00-12:00")
    days = office.periods_by_local_day(utc(2024, 6, 8, 5), utc(2024, 6, 9, 12))
    assert days == [
        (date(2024, 6, 8), [(utc(2024, 6, 8, 7), utc(2024, 6, 8, 10))]),
        (date(2024, 6, 9), []),
    ]
    days = office.periods_by_local_day(utc(2024, 6, 7, 23), utc(2024, 6, 7, 23))
    assert days == [(date(2024, 6, 8), [(utc(2024, 6, 8, 7), utc(2024, 6, 8, 10))])]
    days = office.periods_by_local_day(utc(2024, 6, 7, 12), utc(2024, 6, 7, 12))
    assert days == [(date(2024, 6, 7), [(utc(2024, 6, 7, 17), utc(2024, 6, 8, 5))])]
    with pytest.raises(ValueError):
        office.periods_by_local_day(utc(2024, 6, 8), utc(2024, 6, 7))


# --- properties ------------------------------------------------------------------------

ZONES = ["UTC", PARIS, NEW_YORK, "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns"]
clock_minutes = st.one_of(st.integers(0, 95).map(lambda q: q * 15), st.integers(0, 1439))
dates = st.dates(date(2023, 1, 1), date(2026, 12, 31))


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


@st.composite
def periods(draw, overnight: bool = True) -> str:
    """``H:mm-H:mm``, ending ``24:00`` at midnight; overnight only when allowed."""
    start, end = draw(clock_minutes), draw(st.one_of(clock_minutes, st.just(1440)))
    if end == start or (end < start and not overnight):
        end = 1440
    return f"{clock(start)}-{clock(end)}"


@st.composite
def regular_rules(draw, overnight: bool = True) -> str:
    first, last = draw(st.sampled_from(DAY_NAMES)), draw(st.sampled_from(DAY_NAMES))
    return f"{first}-{last} {draw(periods(overnight))}"


@st.composite
def offices(draw, overnight: bool = True) -> dict[str, str]:
    options = {"_timezone": draw(st.sampled_from(ZONES))}
    for n, rule in enumerate(draw(st.lists(regular_rules(overnight), min_size=1, max_size=3))):
        options[f"_bh_regular{n}"] = rule
    for n, day in enumerate(draw(st.lists(dates, max_size=2))):
        options[f"_bh_add{n}"] = f"{day.isoformat()} {draw(periods(overnight))}"
    for n, day in enumerate(draw(st.lists(dates, max_size=2))):
        options[f"_bh_drop{n}"] = day.isoformat()[5:] if draw(st.booleans()) else day.isoformat()
    return options


instants = st.datetimes(datetime(2023, 1, 1), datetime(2026, 12, 31)).map(
    lambda t: t.replace(tzinfo=UTC)
)
spans = st.timedeltas(timedelta(0), timedelta(days=10))


def union(intervals: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(high, merged[-1][1]))
        else:
            merged.append((low, high))
    return merged


@settings(max_examples=150, deadline=None)
@given(offices(), instants, spans, st.data())
def test_intervals_are_sorted_disjoint_clipped_and_agree_with_is_open(options, start, span, data):
    office = parse_office_hours(options)
    end = start + span
    intervals = office.open_intervals(start, end)
    for low, high in intervals:
        assert start <= low < high <= end
        assert low.tzinfo is UTC and high.tzinfo is UTC
    for (_, high), (low, _) in itertools.pairwise(intervals):
        assert high < low
    for low, high in intervals:
        assert office.is_open(low) and office.is_open(high - MICRO)
        assert office.is_open(low + (high - low) / 2)
        if low > start:
            assert not office.is_open(low - MICRO)
        if high < end:
            assert not office.is_open(high)
    for fraction in data.draw(st.lists(st.floats(0, 1), max_size=20)):
        t = start + span * fraction
        if t < end:
            assert office.is_open(t) == any(low <= t < high for low, high in intervals)


@settings(max_examples=100, deadline=None)
@given(offices(), instants, spans, spans)
def test_intervals_over_a_c_are_the_union_over_a_b_and_b_c(options, a, first, second):
    office = parse_office_hours(options)
    b, c = a + first, a + first + second
    assert office.open_intervals(a, c) == union(
        office.open_intervals(a, b) + office.open_intervals(b, c)
    )


@settings(max_examples=100, deadline=None)
@given(offices(overnight=False), dates, periods(overnight=False))
def test_a_dropped_date_is_never_open(options, dropped, added):
    options["_bh_add_checked"] = f"{dropped.isoformat()} {added}"
    options["_bh_drop_checked"] = dropped.isoformat()
    office = parse_office_hours(options)
    midnight = datetime.combine(dropped, datetime.min.time())
    for low, high in wall_clock_to_utc(office.zone, midnight, midnight + timedelta(days=1)):
        assert office.open_intervals(low.replace(tzinfo=UTC), high.replace(tzinfo=UTC)) == []
    assert office.day_periods(dropped) == []


DST_CHANGES = [(PARIS, date(2024, 3, 31)), (PARIS, date(2024, 10, 27))]
DST_CHANGES += [(NEW_YORK, date(2024, 3, 10)), (NEW_YORK, date(2024, 11, 3))]


@settings(max_examples=100, deadline=None)
@given(st.lists(regular_rules(), min_size=1, max_size=3), st.sampled_from(DST_CHANGES))
def test_local_rules_give_the_same_wall_times_a_week_before_and_after_a_change(rules, change):
    zone_name, day = change
    office = parse_office_hours(
        {"_timezone": zone_name} | {f"_bh_regular{n}": rule for n, rule in enumerate(rules)}
    )
    zone = ZoneInfo(zone_name)

    def local_week(monday: date) -> list[tuple[timedelta, timedelta]]:
        """The week's open intervals as wall-clock offsets from its local Monday 00:00."""
        midnight = datetime.combine(monday, datetime.min.time())
        start = midnight.replace(tzinfo=zone).astimezone(UTC)
        end = (midnight + timedelta(days=7)).replace(tzinfo=zone).astimezone(UTC)
        return [
            (
                low.astimezone(zone).replace(tzinfo=None) - midnight,
                high.astimezone(zone).replace(tzinfo=None) - midnight,
            )
            for low, high in office.open_intervals(start, end)
        ]

    monday_after = day + timedelta(days=7 - day.weekday())
    monday_before = monday_after - timedelta(days=14)
    assert local_week(monday_before) == local_week(monday_after)


@settings(max_examples=100, deadline=None)
@given(offices(), instants, spans)
def test_periods_by_day_are_open_and_cover_the_open_intervals(options, start, span):
    office = parse_office_hours(options)
    end = start + span
    days = office.periods_by_local_day(start - timedelta(days=1), end)
    assert [d for d, _ in days] == sorted(d for d, _ in days)
    periods = [p for _, ps in days for p in ps]
    for low, high in periods:
        assert low < high and office.is_open(low) and office.is_open(high - MICRO)
    covered = union(periods)
    for low, high in office.open_intervals(start, end):
        assert any(c_low <= low and high <= c_high for c_low, c_high in covered)
