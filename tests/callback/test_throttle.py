"""Throttling (callback.md §6.5): per parameter value per day, and per service per window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.callback import selectors, services
from apps.core.errors import GMSError
from tests.callback.conftest import NUMBER, SERVICE, assert_callback_error


def test_same_number_is_limited_per_day(service, create) -> None:
    """ThrottlePreventSameCustomerNumberTests: with limit N the first N succeed."""
    service(_throttle_request_parameters_limit="2", _enable_in_queue_checking="false")
    assert create().status_code == 200
    assert create().status_code == 200
    body = assert_callback_error(create(), 503, "CallbackExceptionServiceUnavailable")
    assert body["message"] == (
        f"Callback for _customer_number={NUMBER} rejected because previous callbacks for this "
        "parameter were requested for more than 2 times today."
    )
    assert create(_customer_number="+14155550143").status_code == 200


def test_limit_zero_rejects_the_first(service, configure, create) -> None:
    """The [callback] section applies when the service does not set the option."""
    configure({"callback": {"_throttle_request_parameters_limit": "0"}})
    assert_callback_error(create(), 503, "CallbackExceptionServiceUnavailable")
    service(_throttle_request_parameters_limit="1")  # the service value wins
    assert create().status_code == 200


def test_user_keys_can_be_throttled(service, create) -> None:
    service(_throttle_request_parameters="account", _throttle_request_parameters_limit="1")
    assert create(account="A").status_code == 200
    body = assert_callback_error(
        create(account="A", _customer_number="+14155550143"),
        503,
        "CallbackExceptionServiceUnavailable",
    )
    assert body["message"].startswith("Callback for account=A rejected")


def test_service_rate_windows(service, create) -> None:
    """ThrottlePreventHighRateTests: per_service_1=2/ttl_1=7, per_service_2=3/ttl_2=19."""
    service(
        _throttle_ttl_1="7",
        _throttle_callbacks_per_service_1="2",
        _throttle_ttl_2="19",
        _throttle_callbacks_per_service_2="3",
    )
    assert create(_customer_number="+14155550141").status_code == 200
    assert create(_customer_number="+14155550142").status_code == 200
    body = assert_callback_error(
        create(_customer_number="+14155550143"), 503, "CallbackExceptionServiceUnavailable"
    )
    assert body["message"] == f"Limit of queued callbacks for {SERVICE} is reached for interval 7s."


def test_the_second_window_after_the_first_has_passed(service) -> None:
    """After 7 s one more succeeds, and the next one fails for the 19 s window."""
    service(
        _throttle_ttl_1="7",
        _throttle_callbacks_per_service_1="2",
        _throttle_ttl_2="19",
        _throttle_callbacks_per_service_2="3",
    )
    options, _ = selectors.request_options(SERVICE, {})
    start = timezone.now()

    def create_at(seconds: int, n: int) -> None:
        services.create_callback(
            options=options,
            params={"_customer_number": f"+1415555014{n}"},
            now=start + timedelta(seconds=seconds),
        )

    create_at(0, 1)
    create_at(0, 2)
    create_at(8, 3)
    with pytest.raises(GMSError) as error:
        create_at(8, 4)
    assert error.value.message.endswith("is reached for interval 19s.")
