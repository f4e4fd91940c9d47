"""A callback service's options (callback.md §6), read once per request with their defaults."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from apps.callback.errors import callback_error
from apps.capacity.slots import DEFAULT_MAX_PER_BUCKET
from apps.core.config import as_bool
from apps.core.text import is_storable_text

# Request keys that are options, not user data, though they look like user keys. The
# device keys name where the user's own pushes go (push.md §8; the Genesys Android demo
# sends ``_device_os=gcm`` and its registration id).
PER_REQUEST_OPTIONS = (
    "_urs_virtual_queue",
    "_call_direction",
    "_wait_for_user_confirm",
    "_device_os",
    "_device_notification_id",
)
# ``_enable_status_notification`` values that turn status notifications on: callback.md
# documents true/false, the Genesys QA suite sets ``subscribe_notify``.
STATUS_NOTIFICATION_ON = ("true", "subscribe_notify")
MAX_DEVICE_VALUE_LENGTH = 2000
DEVICE_KEYS = ("_device_os", "_device_notification_id", "_wait_for_user_confirm")

FUTURE_LIMIT = re.compile(r"^\s*(\d{1,4})\s*([yMwdhm])\s*$")
# "1M" and "1y" as fixed lengths. UNCONFIRMED whether GMS uses calendar months/years.
# Our choice: a month is 31 days and a year 366 days, never refusing a date a calendar
# month or year would accept.
FUTURE_UNITS = {"y": 366 * 86400, "M": 31 * 86400, "w": 7 * 86400, "d": 86400, "h": 3600, "m": 60}


def _int(options: Mapping[str, str], name: str, default: int) -> int:
    try:
        return int(options.get(name, "").strip())
    except ValueError:
        return default


def _list(options: Mapping[str, str], name: str, default: str) -> tuple[str, ...]:
    text = options.get(name, default)
    return tuple(key.strip() for key in text.split(",") if key.strip())


def _device_value(options: Mapping[str, str], name: str) -> str:
    """A device key of the request; 400 when no database could keep it."""
    value = options.get(name, "").strip()
    if len(value) > MAX_DEVICE_VALUE_LENGTH or not is_storable_text(value):
        raise callback_error(f"{name} must be at most {MAX_DEVICE_VALUE_LENGTH} characters of text")
    return value


def future_limit(text: str) -> timedelta | None:
    """``1M`` -> 31 days; None when malformed."""
    match = FUTURE_LIMIT.match(text)
    if not match:
        return None
    return timedelta(seconds=int(match.group(1)) * FUTURE_UNITS[match.group(2)])


@dataclass(frozen=True)
class CallbackOptions:
    name: str
    ttl: int
    bucket_minutes: int
    max_per_bucket: int
    reject_future: timedelta
    reject_past: int
    execution_buffer: int
    business_hours_service: str
    capacity_service: str
    virtual_queue: str
    call_direction: str
    lookup_keys: tuple[str, ...]
    mandatory_keys: tuple[str, ...]
    default_country: str
    disallow_premium: bool
    disallow_impossible: bool
    exceptions_group: str
    max_queued: int | None
    in_queue_checking: bool
    throttle_keys: tuple[str, ...]
    throttle_key_limit: int
    # (window seconds, callbacks allowed in it) pairs (callback.md §6.5).
    throttle_windows: tuple[tuple[int, int], ...]
    # Dial attempts of a callback and the wait between them (callback.md §6, ORS options).
    max_dial_attempts: int = 3
    dial_retry_timeout: int = 300
    # Status notifications (push.md §5.1): where each state change is announced; no
    # target = off. The user's device for pushes (push.md §8); empty = none.
    status_notification_type: str = "httpcb"
    status_notification_target: str = ""
    status_notification_attempts: int = 3
    wait_for_user_confirm: bool = False
    device_os: str = ""
    device_notification_id: str = ""
    # PROCESSING is observable only with _retain_session_until_ixn_deleted=true (§4.1).
    retain_session: bool = False
    # The pluggable dialer (apps.callback.dialer): desk | webhook, its URL and attempts.
    dialer: str = "desk"
    dialer_url: str = ""
    dialer_attempts: int = 3

    @classmethod
    def read(
        cls, name: str, options: Mapping[str, str], global_options: Mapping[str, str]
    ) -> "CallbackOptions":
        """``options`` = the resolved service section; ``global_options`` = ``[callback]``.

        A service value overrides the ``[callback]`` one. Without any queue limit
        there is none (callback.md §6.4, our choice). The virtual queue defaults to
        the service name (UNCONFIRMED: GMS makes ``_urs_virtual_queue`` mandatory;
        our choice: the contact center creates queues on first use, so any name works).
        """
        limit = (
            options.get("_max_queued_callbacks_per_service", "").strip()
            or global_options.get("max_queued_callbacks_per_service", "").strip()
        )
        status_on = (
            options.get("_enable_status_notification", "").strip().lower() in STATUS_NOTIFICATION_ON
        )
        checking = options.get("_enable_in_queue_checking") or global_options.get(
            "_enable_in_queue_checking"
        )
        # Throttling options: a service value overrides the [callback] one (§6.5).
        throttle = {**global_options, **options}
        key_limit = throttle.get("_throttle_request_parameters_limit") or throttle.get(
            "_throttle_customer_number_limit", ""
        )
        return cls(
            name=name,
            ttl=max(_int(options, "_ttl", 86400), 1),
            bucket_minutes=_int(options, "_request_time_bucket", 5),
            max_per_bucket=max(
                _int(options, "_max_request_by_time_bucket", DEFAULT_MAX_PER_BUCKET), 0
            ),
            reject_future=future_limit(options.get("_reject_future_desired_time", "1M"))
            or timedelta(days=31),
            reject_past=max(_int(options, "_reject_past_desired_time", 300), 0),
            execution_buffer=max(_int(options, "_request_execution_time_buffer", 120), 0),
            business_hours_service=options.get("_business_hours_service", "").strip(),
            capacity_service=options.get("_capacity_service", "").strip(),
            virtual_queue=options.get("_urs_virtual_queue", "").strip() or name,
            call_direction=options.get("_call_direction", "").strip().upper() or "USERTERMINATED",
            lookup_keys=_list(options, "_customer_lookup_keys", "_customer_number"),
            mandatory_keys=_list(options, "_mandatory_customer_lookup_keys", "_customer_number"),
            default_country=options.get("_default_country", ""),
            disallow_premium=as_bool(options.get("_disallow_premium_phone_numbers"), True),
            disallow_impossible=as_bool(options.get("_disallow_impossible_phone_numbers"), True),
            exceptions_group=options.get("_exceptions", "").strip(),
            max_queued=int(limit) if limit.isdigit() else None,
            in_queue_checking=as_bool(checking, True),
            throttle_keys=_list(throttle, "_throttle_request_parameters", "_customer_number"),
            throttle_key_limit=_int({"v": key_limit}, "v", 6),
            throttle_windows=(
                (
                    _int(throttle, "_throttle_ttl_1", 300),
                    _int(throttle, "_throttle_callbacks_per_service_1", 500),
                ),
                (
                    _int(throttle, "_throttle_ttl_2", 3600),
                    _int(throttle, "_throttle_callbacks_per_service_2", 1000),
                ),
            ),
            max_dial_attempts=max(_int(options, "_max_dial_attempts", 3), 1),
            dial_retry_timeout=max(_int(options, "_dial_retry_timeout", 300), 0),
            retain_session=as_bool(options.get("_retain_session_until_ixn_deleted")),
            dialer=options.get("_dialer", "").strip().lower() or "desk",
            dialer_url=options.get("_dialer_url", "").strip(),
            dialer_attempts=max(_int(options, "_dialer_attempts", 3), 1),
            status_notification_type=options.get("_status_notification_type", "").strip().lower()
            or "httpcb",
            status_notification_target=options.get("_status_notification_target", "").strip()
            if status_on
            else "",
            status_notification_attempts=max(_int(options, "_status_notification_attempts", 3), 1),
            wait_for_user_confirm=as_bool(options.get("_wait_for_user_confirm")),
            device_os=_device_value(options, "_device_os").lower(),
            device_notification_id=_device_value(options, "_device_notification_id"),
        )

    def snapshot(self, previous: Mapping[str, str] | None = None) -> dict[str, str]:
        """What a stored callback keeps of its options (all strings, like the section).

        ``previous`` = the options it kept so far (a reschedule): its device keys stay
        unless this request names another device.
        """
        return {
            "_ttl": str(self.ttl),
            "_request_execution_time_buffer": str(self.execution_buffer),
            "_urs_virtual_queue": self.virtual_queue,
            "_call_direction": self.call_direction,
            "_max_dial_attempts": str(self.max_dial_attempts),
            "_dial_retry_timeout": str(self.dial_retry_timeout),
            "_retain_session_until_ixn_deleted": str(self.retain_session).lower(),
            "_dialer": self.dialer,
            "_dialer_url": self.dialer_url,
            "_dialer_attempts": str(self.dialer_attempts),
        } | self._notification_snapshot(previous or {})

    def _notification_snapshot(self, previous: Mapping[str, str]) -> dict[str, str]:
        """The notification keys, kept only when set: the state machine tells a callback
        nobody listens to by a key lookup (apps.callback.notifications)."""
        kept = {key: previous[key] for key in DEVICE_KEYS if key in previous}
        if self.status_notification_target:
            kept["_status_notification_type"] = self.status_notification_type
            kept["_status_notification_target"] = self.status_notification_target
            kept["_status_notification_attempts"] = str(self.status_notification_attempts)
        if self.device_os and self.device_notification_id:
            kept["_device_os"] = self.device_os
            kept["_device_notification_id"] = self.device_notification_id
            kept["_wait_for_user_confirm"] = str(self.wait_for_user_confirm).lower()
        return kept
