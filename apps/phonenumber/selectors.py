"""Phone number facts from libphonenumber (phonenumber.md §3), as GMS reports them.

Python's ``phonenumbers`` is the official port of the library GMS embeds, so each
response key is one library call. Its metadata (carriers, time zones) changes
between releases: outputs are a pure function of the inputs and that version.
"""

import re
from functools import lru_cache
from typing import Any

import phonenumbers as pn
from phonenumbers import PhoneNumberFormat, PhoneNumberType, carrier, geocoder, timezone

from apps.core.errors import BadRequest

DEFAULT_COUNTRY = "US"
DEFAULT_LOCALE = "en"
UNKNOWN_TIME_ZONE = "Etc/Unknown"
CALLBACK_NUMBER_EXCEPTION = (
    "com.genesyslab.gsg.services.callback.exceptions.CallbackExceptionNumber"
)

# What the library says about a number; the rest of a response echoes the request.
NumberFacts = dict[str, Any]


def _language_of(locale: str) -> str:
    """``de``, ``de-DE``, ``de_DE`` -> ``de``: the geocoder and carrier data are per language."""
    return re.split(r"[-_]", locale, maxsplit=1)[0]


@lru_cache(maxsize=2048)
def _facts(number: str, country: str, language: str) -> NumberFacts:
    """The library's answers for one number; raises NumberParseException (never cached)."""
    parsed = pn.parse(number, country, keep_raw_input=True)
    number_type = pn.number_type(parsed)
    return {
        "country-code": parsed.country_code,
        "country-code-source": pn.CountryCodeSource.to_string(parsed.country_code_source),
        "region-code": pn.region_code_for_number(parsed),
        "number-type": PhoneNumberType.to_string(number_type),
        "is-possible-number": pn.is_possible_number(parsed),
        "is-valid-number": pn.is_valid_number(parsed),
        "is-valid-number-for-region": pn.is_valid_number_for_region(parsed, country),
        "is-premium": number_type == PhoneNumberType.PREMIUM_RATE,
        "italian-leading-zero": bool(parsed.italian_leading_zero),
        "extension": parsed.extension or "",
        "number-national-short": parsed.national_number,
        "number-E164": pn.format_number(parsed, PhoneNumberFormat.E164),
        "number-international": pn.format_number(parsed, PhoneNumberFormat.INTERNATIONAL),
        "number-national": pn.format_number(parsed, PhoneNumberFormat.NATIONAL),
        "number-original": pn.format_in_original_format(parsed, country),
        "location": geocoder.description_for_number(parsed, language) or "",
        "carrier": carrier.name_for_number(parsed, language) or "",
        "time-zone": ",".join(timezone.time_zones_for_number(parsed)) or UNKNOWN_TIME_ZONE,
    }


def describe_number(number: str, country: str, locale: str) -> dict[str, Any]:
    """The 21-key body of ``GET /genesys/1/phonenumber`` (phonenumber.md §2).

    ``country`` and ``locale`` are used as given (the view applies the defaults);
    a number the library cannot parse is the 400 of §4, never a 200.
    """
    if not number:
        raise BadRequest("Parameter number is missing")
    try:
        facts = _facts(number, country, _language_of(locale))
    except pn.NumberParseException:
        raise BadRequest(
            f"Invalid Phone Number {number} for Country {country} (parsing impossible)"
        ) from None
    return {
        "language-specified": locale,
        "number-specified": number,
        "country-default": country,
        **facts,
    }


def _not_configured(service_name: str, option: str) -> BadRequest:
    return BadRequest(
        f"Service option {service_name} / _default_country is not configured. "
        f"But option {option} is set. We cannot validate phone numbers without knowing the country.",
        exception=CALLBACK_NUMBER_EXCEPTION,
    )


def validate_customer_number(
    number: str,
    *,
    service_name: str,
    default_country: str,
    disallow_premium: bool,
    disallow_impossible: bool,
) -> None:
    """Refuse a callback's ``_customer_number`` as the service options say (phonenumber.md §5).

    Raises BadRequest with GMS's CallbackExceptionNumber and messages. "Impossible"
    is libphonenumber's is_possible_number (the option's name), and a number that
    cannot be parsed counts as impossible.
    """
    if not (disallow_premium or disallow_impossible):
        return
    country = default_country.strip().upper()
    if not country:
        option = (
            "_disallow_premium_phone_numbers"
            if disallow_premium
            else "_disallow_impossible_phone_numbers"
        )
        raise _not_configured(service_name, option)
    try:
        parsed = pn.parse(number, country)
    except pn.NumberParseException:
        parsed = None
    if disallow_impossible and (parsed is None or not pn.is_possible_number(parsed)):
        raise BadRequest(
            f"Customer Number [{number}] is disallowed, because it is invalid. "
            "Check option _disallow_impossible_phone_numbers",
            exception=CALLBACK_NUMBER_EXCEPTION,
        )
    if (
        disallow_premium
        and parsed is not None
        and pn.number_type(parsed) == PhoneNumberType.PREMIUM_RATE
    ):
        raise BadRequest(
            f"Customer Number [{number}] is disallowed, because it's a premium number. "
            "Check option _disallow_premium_phone_numbers",
            exception=CALLBACK_NUMBER_EXCEPTION,
        )
