"""Phone Number Validation API through HTTP (phonenumber.md).

Carrier and time-zone values change with the libphonenumber metadata (§2, drift
warning): expectations for them come from the installed ``phonenumbers``, never
from GMS's answers.
"""

import phonenumbers as pn
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phonenumbers import carrier, timezone

from tests.conftest import assert_gms_error, basic

pytestmark = pytest.mark.django_db

URL = "/genesys/1/phonenumber"
GSG = "com.genesyslab.gsg.GSGException"

KEY_TYPES = {
    "language-specified": str,
    "number-specified": str,
    "country-default": str,
    "country-code": int,
    "country-code-source": str,
    "region-code": (str, type(None)),
    "number-type": str,
    "is-possible-number": bool,
    "is-valid-number": bool,
    "is-valid-number-for-region": bool,
    "is-premium": bool,
    "italian-leading-zero": bool,
    "extension": str,
    "number-national-short": int,
    "number-E164": str,
    "number-international": str,
    "number-national": str,
    "number-original": str,
    "location": str,
    "carrier": str,
    "time-zone": str,
}


def library_carrier(number: str, country: str, language: str) -> str:
    return carrier.name_for_number(pn.parse(number, country), language)


def library_time_zone(number: str, country: str) -> str:
    return ",".join(timezone.time_zones_for_number(pn.parse(number, country)))


def describe(client, query: str) -> dict:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == set(KEY_TYPES)
    for key, expected_type in KEY_TYPES.items():
        assert isinstance(body[key], expected_type), key
    return body


def test_documented_example_french_mobile_with_german_labels(client):
    body = describe(client, "number=0604120405&country=FR&geocodingLocale=DE")
    assert body == {
        "language-specified": "de",
        "number-specified": "0604120405",
        "country-default": "FR",
        "country-code": 33,
        "country-code-source": "FROM_DEFAULT_COUNTRY",
        "region-code": "FR",
        "number-type": "MOBILE",
        "is-possible-number": True,
        "is-valid-number": True,
        "is-valid-number-for-region": True,
        "is-premium": False,
        "italian-leading-zero": False,
        "extension": "",
        "number-national-short": 604120405,
        "number-E164": "+33604120405",
        "number-international": "+33 6 04 12 04 05",
        "number-national": "06 04 12 04 05",
        "number-original": "06 04 12 04 05",
        "location": "Frankreich",
        "carrier": library_carrier("0604120405", "FR", "de"),
        "time-zone": library_time_zone("0604120405", "FR"),
    }


def test_german_fixed_line_with_french_labels(client):
    body = describe(client, "number=%2B4989125016040&country=DE&geocodingLocale=FR")
    assert body["country-code"] == 49
    assert body["country-code-source"] == "FROM_NUMBER_WITH_PLUS_SIGN"
    assert body["number-type"] == "FIXED_LINE"
    assert body["location"] == "Munich"
    assert body["number-national"] == "089 125016040"
    assert body["number-international"] == "+49 89 125016040"
    assert body["number-national-short"] == 89125016040
    assert body["time-zone"] == library_time_zone("+4989125016040", "DE")


def test_us_number_is_fixed_line_or_mobile(client):
    body = describe(client, "number=%2B16504661100&country=US&geocodingLocale=FR")
    assert body["country-code"] == 1
    assert body["number-type"] == "FIXED_LINE_OR_MOBILE"
    assert body["location"] == "California"
    assert body["number-national"] == "(650) 466-1100"
    assert body["number-international"] == "+1 650-466-1100"
    assert body["carrier"] == library_carrier("+16504661100", "US", "fr")
    assert body["time-zone"] == library_time_zone("+16504661100", "US")


def test_ukrainian_mobile_with_default_language(client):
    body = describe(client, "number=509113790&country=UA")
    assert body["country-code"] == 380
    assert body["country-code-source"] == "FROM_DEFAULT_COUNTRY"
    assert body["number-type"] == "MOBILE"
    assert body["language-specified"] == "en"
    assert body["location"] == "Ukraine"
    assert body["number-national"] == "050 911 3790"
    assert body["number-original"] == "50 911 3790"
    assert body["carrier"] == library_carrier("509113790", "UA", "en")
    assert body["time-zone"] == library_time_zone("509113790", "UA")


def test_defaults_are_us_and_english(client):
    body = describe(client, "number=6504661100")
    assert body["country-default"] == "US"
    assert body["language-specified"] == "en"
    assert body["is-valid-number-for-region"] is True


@pytest.mark.parametrize("locale", ["DE", "de", "De"])
def test_locale_is_case_insensitive(client, locale):
    body = describe(client, f"number=0604120405&country=FR&geocodingLocale={locale}")
    assert body["language-specified"] == "de"
    assert body["location"] == "Frankreich"


def test_only_the_language_of_a_locale_is_used(client):
    body = describe(client, "number=0604120405&country=FR&geocodingLocale=de_DE")
    assert body["language-specified"] == "de_de"
    assert body["location"] == "Frankreich"


def test_lower_case_country_is_accepted(client):
    body = describe(client, "number=0604120405&country=fr")
    assert body["country-default"] == "FR"
    assert body["is-valid-number-for-region"] is True


def test_invalid_but_parsable_number_is_200(client):
    body = describe(client, "number=111&country=US")
    assert body["is-valid-number"] is False
    assert body["is-possible-number"] is False
    assert body["is-valid-number-for-region"] is False
    assert body["number-type"] == "UNKNOWN"
    assert body["region-code"] is None
    assert body["time-zone"] == "Etc/Unknown"


def test_extension_and_premium_number(client):
    body = describe(client, "number=%2B19005551234%20ext.%2042")
    assert body["extension"] == "42"
    assert body["number-type"] == "PREMIUM_RATE"
    assert body["is-premium"] is True


def test_italian_leading_zero(client):
    body = describe(client, "number=%2B390612345678")
    assert body["italian-leading-zero"] is True
    assert body["number-national-short"] == 612345678


def test_unparsable_number_is_the_gms_400(client):
    response = client.get(f"{URL}?number=bad&country=DE")
    assert_gms_error(response, 400, GSG)
    assert response.json() == {
        "message": "Invalid Phone Number bad for Country DE (parsing impossible)",
        "exception": GSG,
    }


@pytest.mark.parametrize(
    ("query", "number", "country"),
    [
        ("number=%2B999123", "+999123", "US"),
        ("number=1", "1", "US"),
        ("number=" + "1" * 300, "1" * 300, "US"),
        ("number=0604120405&country=XX", "0604120405", "XX"),
    ],
)
def test_every_parse_failure_uses_the_same_template(client, query, number, country):
    response = client.get(f"{URL}?{query}")
    body = assert_gms_error(response, 400, GSG)
    assert (
        body["message"]
        == f"Invalid Phone Number {number} for Country {country} (parsing impossible)"
    )


@pytest.mark.parametrize("query", ["", "number=", "country=FR", "number=&country=FR"])
def test_missing_number_is_the_gms_400(client, query):
    response = client.get(f"{URL}?{query}")
    assert_gms_error(response, 400, GSG)
    assert response.json() == {"message": "Parameter number is missing", "exception": GSG}


def test_raw_plus_in_the_query_string_is_kept(client):
    body = describe(client, "number=+4989125016040&country=DE")
    assert body["number-specified"] == "+4989125016040"
    assert body["country-code-source"] == "FROM_NUMBER_WITH_PLUS_SIGN"
    assert body["number-E164"] == "+4989125016040"


def test_an_encoded_space_stays_a_space(client):
    body = describe(client, "number=%200604120405&country=FR")
    assert body["number-specified"] == " 0604120405"
    assert body["country-code-source"] == "FROM_DEFAULT_COUNTRY"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_405(client, method):
    response = getattr(client, method)(f"{URL}?number=111")
    assert_gms_error(response, 405, GSG)
    assert "GET" in response["Allow"]


def test_server_password_requires_credentials(client, configure):
    configure({"server": {"username": "gms", "password": "s3cret"}})
    assert_gms_error(client.get(f"{URL}?number=111"), 401)
    response = client.get(f"{URL}?number=111", headers={"Authorization": basic("gms", "s3cret")})
    assert response.status_code == 200


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(number=st.text(max_size=300), country=st.text(max_size=8), locale=st.text(max_size=12))
def test_no_input_is_a_server_error(client, number, country, locale):
    response = client.get(URL, {"number": number, "country": country, "geocodingLocale": locale})
    assert response.status_code in (200, 400)
