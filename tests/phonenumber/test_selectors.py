"""The callback's use of phone validation (phonenumber.md §5) and the pure mapping."""

import pytest

from apps.core.errors import BadRequest
from apps.phonenumber.selectors import (
    CALLBACK_NUMBER_EXCEPTION,
    describe_number,
    validate_customer_number,
)

PREMIUM = "+19005551234"


def validate(number: str, *, country: str = "US", premium: bool = False, impossible: bool = False):
    validate_customer_number(
        number,
        service_name="cb1",
        default_country=country,
        disallow_premium=premium,
        disallow_impossible=impossible,
    )


def refusal(number: str, **options) -> str:
    with pytest.raises(BadRequest) as caught:
        validate(number, **options)
    assert caught.value.status_code == 400
    assert caught.value.exception_name == CALLBACK_NUMBER_EXCEPTION
    return caught.value.message


def test_premium_number_allowed_when_not_disallowed():
    validate(PREMIUM, premium=False)


def test_premium_number_refused():
    assert refusal(PREMIUM, premium=True) == (
        "Customer Number [+19005551234] is disallowed, because it's a premium number. "
        "Check option _disallow_premium_phone_numbers"
    )


def test_impossible_number_allowed_when_not_disallowed():
    validate("111", impossible=False)


def test_impossible_number_refused():
    assert refusal("111", impossible=True) == (
        "Customer Number [111] is disallowed, because it is invalid. "
        "Check option _disallow_impossible_phone_numbers"
    )


def test_unparsable_number_counts_as_impossible():
    assert "[not a number] is disallowed, because it is invalid" in refusal(
        "not a number", impossible=True
    )
    validate("not a number", premium=True)


@pytest.mark.parametrize(
    ("options", "option"),
    [
        ({"premium": True}, "_disallow_premium_phone_numbers"),
        ({"impossible": True}, "_disallow_impossible_phone_numbers"),
        ({"premium": True, "impossible": True}, "_disallow_premium_phone_numbers"),
    ],
)
def test_a_disallow_option_needs_the_default_country(options, option):
    assert refusal(PREMIUM, country="", **options) == (
        f"Service option cb1 / _default_country is not configured. But option {option} is set. "
        "We cannot validate phone numbers without knowing the country."
    )


def test_no_check_without_a_disallow_option():
    validate("111", country="")


def test_ordinary_number_passes_every_check():
    validate("6504661100", premium=True, impossible=True)
    validate("0604120405", country="fr", premium=True, impossible=True)


def test_describe_number_answers_a_fresh_dict_each_time():
    first = describe_number("0604120405", "FR", "en")
    first["location"] = "changed"
    assert describe_number("0604120405", "FR", "en")["location"] == "France"
