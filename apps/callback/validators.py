"""Save-time validation of the callback options this app reads (callback.md §6).

Whether ``_business_hours_service`` and ``_capacity_service`` name existing services is
checked when a request uses them, not here: sections may be saved in any order.
"""

from collections.abc import Iterable

from apps.callback.options import future_limit
from apps.capacity.slots import VALID_BUCKETS
from apps.core.config import Options, check_bool, check_int, register_validator

INTS = (
    ("_max_request_by_time_bucket", 0),
    ("_reject_past_desired_time", 0),
    ("_request_execution_time_buffer", 0),
    ("_max_queued_callbacks_per_service", 0),
)
THROTTLE_INTS = (
    ("_throttle_request_parameters_limit", 0),
    ("_throttle_customer_number_limit", 0),
    ("_throttle_ttl_1", 1),
    ("_throttle_callbacks_per_service_1", 0),
    ("_throttle_ttl_2", 1),
    ("_throttle_callbacks_per_service_2", 0),
)
BOOLS = (
    "_disallow_premium_phone_numbers",
    "_disallow_impossible_phone_numbers",
    "_enable_in_queue_checking",
)


@register_validator("service:callback")
def validate_callback(name: str, options: Options) -> Iterable[tuple[str, str]]:
    bucket = options.get("_request_time_bucket", "").strip()
    if bucket and bucket not in {str(b) for b in VALID_BUCKETS}:
        yield "_request_time_bucket", f"must be one of {', '.join(map(str, VALID_BUCKETS))}"
    for option, minimum in INTS + THROTTLE_INTS:
        yield from check_int(options, option, minimum=minimum)
    for option in BOOLS:
        yield from check_bool(options, option)
    future = options.get("_reject_future_desired_time", "").strip()
    if future and future_limit(future) is None:
        yield "_reject_future_desired_time", "must be a count and a unit y, M, w, d, h or m (1M)"
    if options.get("_call_direction", "").strip().upper() not in (
        "",
        "USERTERMINATED",
        "USERORIGINATED",
    ):
        yield "_call_direction", "must be USERTERMINATED or USERORIGINATED"


@register_validator("callback")
def validate_callback_section(name: str, options: Options) -> Iterable[tuple[str, str]]:
    yield from check_int(options, "max_queued_callbacks_per_service", minimum=0)
    for option, minimum in THROTTLE_INTS:
        yield from check_int(options, option, minimum=minimum)
    yield from check_bool(options, "_enable_in_queue_checking")
