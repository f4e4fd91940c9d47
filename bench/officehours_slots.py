"""Time the scheduling arithmetic: 14 days of office hours and of free 5-minute slots.

A realistic Paris service (Mon-Fri 08:00-20:00, Sat 09:00-13:00, public holidays, a
capacity grid with an exception) over a window that crosses the October DST change,
with 1,000 booked callbacks. Prints the median and p95 of 200 runs; asserts nothing.

    .venv/bin/python bench/officehours_slots.py
"""

import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apps.capacity.grid import parse_capacity
from apps.capacity.slots import bucket_start, free_slots, slot_problem
from apps.officehours.rules import parse_office_hours

RUNS = 200
START = datetime(2024, 10, 21, tzinfo=UTC)  # a Monday; Paris falls back on 2024-10-27
END = START + timedelta(days=14)
BUCKET = 5

OFFICE = parse_office_hours(
    {
        "_timezone": "Europe/Paris",
        "_bh_regular1": "Mon-Fri 08:00-20:00",
        "_bh_regular2": "Sat 09:00-13:00",
        "_holiday1": "01-01",
        "_holiday2": "05-01",
        "_holiday3": "07-14",
        "_holiday4": "11-01",
        "_holiday5": "11-11",
        "_holiday6": "12-25",
        "_bh_add1": "2024-10-31 20:00-22:00",
    }
)
WEEKDAY = {f"{hour:02d}00": 10 for hour in range(8, 20)}
SATURDAY = {f"{hour:02d}00": 5 for hour in range(9, 13)}
CAPACITY = parse_capacity(
    {
        "_timezone": "Europe/Paris",
        **{f"_capacity_{d}": json.dumps({str(d): WEEKDAY}) for d in range(2, 7)},
        "_capacity_7": json.dumps({"7": SATURDAY}),
        "_capacity_add": json.dumps({"2024-10-31": {"0800": 3, "2000": 2, "2100": 2}}),
    }
)


def bookings(count: int) -> dict[datetime, int]:
    """``count`` callbacks spread over the open buckets of the window."""
    rng = random.Random(8_5)
    open_buckets = [
        bucket_start(START + timedelta(minutes=minute), BUCKET)
        for minute in range(0, 14 * 24 * 60, BUCKET)
        if OFFICE.is_open(START + timedelta(minutes=minute))
    ]
    booked: dict[datetime, int] = {}
    for _ in range(count):
        bucket = rng.choice(open_buckets)
        booked[bucket] = booked.get(bucket, 0) + 1
    return booked


def measure(name: str, run: Callable[[], object]) -> None:
    run()  # warm the time-zone transition cache, as a running server would be
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        run()
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{name:<46} median {statistics.median(timings):7.3f} ms   p95 {p95:7.3f} ms")


def main() -> None:
    booked = bookings(1000)
    arguments = {
        "bucket_minutes": BUCKET,
        "office_hours": OFFICE,
        "capacity": CAPACITY,
        "booked": booked,
    }
    slots = free_slots(start=START, end=END, **arguments)
    intervals = OFFICE.open_intervals(START, END)
    print(f"{len(intervals)} open periods, {len(slots)} free {BUCKET}-minute slots, ", end="")
    print(f"{sum(booked.values())} booked callbacks in {len(booked)} buckets, {RUNS} runs each")
    measure("open_intervals, 14 days", lambda: OFFICE.open_intervals(START, END))
    measure("periods_by_local_day, 14 days", lambda: OFFICE.periods_by_local_day(START, END))
    measure(
        "free_slots, 14 days of 5-minute buckets",
        lambda: free_slots(start=START, end=END, **arguments),
    )
    measure(
        "free_slots, report_busy",
        lambda: free_slots(start=START, end=END, report_busy=True, **arguments),
    )
    measure("slot_problem, one desired time", lambda: slot_problem(slots[-1].start, **arguments))


if __name__ == "__main__":
    main()
