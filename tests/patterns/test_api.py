"""Pattern Matcher API through HTTP (pattern.md §2)."""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.models import Option
from tests.conftest import assert_gms_error, basic

pytestmark = pytest.mark.django_db

GROUP_URL = "/genesys/1/patterns/group/{}"
GENERAL_URL = "/genesys/1/patterns"
GSG = "com.genesyslab.gsg.GSGException"
FORM = "application/x-www-form-urlencoded"

EMAIL = r"^[_A-Za-z0-9-]+(\.[_A-Za-z0-9-]+)*@[A-Za-z0-9]+(\.[A-Za-z0-9]+)*(\.)((net)||(com))$"
TIME = r"^(([0-9])||(1[012])):[0-5][0-9]\s[aApP][mM]$"
# pattern.md §2.3 elides the middle of the Date and IP patterns; completed in the same style.
DATE = (
    r"^(([1-9])||([012][1-9])||(3[01]))/(([1-9])||(0[1-9])||(1[012]))"
    r"/((19[0-9][0-9])||(20[0-9][0-9]))$"
)
OCTET = r"((\d)||([1-9]\d)||(1\d\d)||(2[0-4]\d)||(25[0-5]))"
IP = rf"^{OCTET}\.{OCTET}\.{OCTET}\.{OCTET}$"


def post_form(client, url: str, fields, **headers):
    return client.post(url, urlencode(fields), content_type=FORM, headers=headers)


@pytest.mark.parametrize(
    ("name", "pattern", "values", "matching"),
    [
        ("Pattern1", r"\d{3}", ["555"], ["param1"]),
        ("Email", EMAIL, ["a@int.com", "a@.com", "a.b@int.net"], ["param1", "param3"]),
        ("Time", TIME, ["10:59 am", "13:11 Am", "0:01 pM"], ["param1", "param3"]),
        ("Date", DATE, ["01/01/2000", "01/13/1999", "1/1/1995"], ["param1", "param3"]),
        ("IP", IP, ["135.17.36.255", "135.17.36.256", "1.0.0.1"], ["param1", "param3"]),
    ],
)
def test_behaviour_confirmed_by_gms_tests(client, configure, name, pattern, values, matching):
    configure({"qa_group": {name: pattern}})
    fields = {f"param{i}": value for i, value in enumerate(values, start=1)}
    response = post_form(client, GROUP_URL.format("qa_group"), fields)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == dict.fromkeys(matching, name)


def test_documented_example_answers_the_first_matching_pattern(client, configure):
    configure(
        {
            "cb_errors": {
                "emergency": r"\+?911",
                "premium_us": r"\+1900\d{7}",
                "email": r"^[_A-Za-z0-9-]+(\.[_A-Za-z0-9-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$",
                "any digits": r"\+?\d+",
            }
        }
    )
    response = post_form(
        client,
        GROUP_URL.format("cb_errors"),
        {"param1": "1234562x", "param2": "john.doe@example.org", "param3": "+911"},
    )
    assert response.json() == {"param2": "email", "param3": "emergency"}


def test_whole_value_match_by_default(client, configure):
    configure({"digits": {"three": r"\d{3}"}})
    assert post_form(client, GROUP_URL.format("digits"), {"a": "1234", "b": "x555"}).json() == {}


def test_search_mode_matches_anywhere(client, configure, settings):
    settings.GMS_PATTERN_MATCH_MODE = "search"
    configure({"digits": {"three": r"\d{3}"}})
    response = post_form(client, GROUP_URL.format("digits"), {"a": "x555y", "b": "12"})
    assert response.json() == {"a": "three"}


def test_general_list_is_the_patterns_group(client, configure):
    configure({"patterns": {"vip": r"\+1650\d{7}"}, "other": {"all": ".*"}})
    response = post_form(client, GENERAL_URL, {"_customer_number": "+16504661100", "x": "1"})
    assert response.json() == {"_customer_number": "vip"}


def test_general_list_not_configured_matches_nothing(client):
    assert post_form(client, GENERAL_URL, {"a": "1"}).json() == {}


def test_unknown_group_is_404(client, configure):
    configure({"cb_errors": {"emergency": "911"}})
    response = post_form(client, GROUP_URL.format("cb_errorz"), {"a": "911"})
    assert_gms_error(response, 404, GSG)
    assert response.json() == {"message": "Pattern group 'cb_errorz' not found", "exception": GSG}


@pytest.mark.parametrize("section", ["server", "service.cb"])
def test_system_and_service_sections_are_not_groups(client, configure, section):
    configure(
        {
            "server": {"realm": "GMS"},
            "service.cb": {"_type": "builtin", "_service": "callback"},
        }
    )
    assert_gms_error(post_form(client, GROUP_URL.format(section), {"a": "GMS"}), 404)


def test_empty_body_matches_nothing(client, configure):
    configure({"g": {"all": ".*"}})
    assert client.post(GROUP_URL.format("g")).json() == {}
    assert post_form(client, GROUP_URL.format("g"), {}).json() == {}


def test_json_object_body(client, configure):
    configure({"g": {"three": r"\d{3}"}})
    response = client.post(
        GROUP_URL.format("g"), {"a": "555", "b": "5555"}, content_type="application/json"
    )
    assert response.json() == {"a": "three"}


def test_multipart_body_keeps_raw_field_names(client, configure):
    configure({"g": {"three": r"\d{3}"}})
    response = client.post(GROUP_URL.format("g"), {"userData[key]": "555", "other": "x"})
    assert response.json() == {"userData[key]": "three"}


def test_last_value_of_a_repeated_field_is_tested(client, configure):
    configure({"g": {"three": r"\d{3}"}})
    response = client.post(GROUP_URL.format("g"), "a=555&a=x&b=x&b=555", content_type=FORM)
    assert response.json() == {"b": "three"}


@pytest.mark.parametrize(
    "body", ['["555"]', '"555"', "null", "42", '{"a": 555}', '{"a": {"b": "555"}}', '{"a": null}']
)
def test_json_that_is_not_a_flat_object_of_strings_is_400(client, configure, body):
    configure({"g": {"three": r"\d{3}"}})
    response = client.post(GROUP_URL.format("g"), body, content_type="application/json")
    assert_gms_error(response, 400, GSG)


def test_malformed_json_is_400(client, configure):
    configure({"g": {"three": r"\d{3}"}})
    response = client.post(GROUP_URL.format("g"), '{"a": ', content_type="application/json")
    assert_gms_error(response, 400, GSG)


def test_lone_surrogate_in_json_is_400(client, configure):
    configure({"g": {"all": ".*"}})
    response = client.post(
        GROUP_URL.format("g"), '{"\\ud800": "x"}', content_type="application/json"
    )
    assert_gms_error(response, 400, GSG)


def test_unsupported_content_type_is_415(client, configure):
    configure({"g": {"three": r"\d{3}"}})
    response = client.post(GROUP_URL.format("g"), "a=555", content_type="text/plain")
    assert_gms_error(response, 415, GSG)


def test_get_is_405(client, configure):
    configure({"g": {"three": r"\d{3}"}})
    response = client.get(GROUP_URL.format("g"))
    assert_gms_error(response, 405, GSG)
    assert "POST" in response["Allow"]


def test_stored_pattern_that_does_not_compile_is_skipped(client, configure):
    configure({"g": {"broken": "x", "three": r"\d{3}"}})
    Option.objects.filter(section__name="g", name="broken").update(value="([")
    assert post_form(client, GROUP_URL.format("g"), {"a": "555"}).json() == {"a": "three"}


def test_catastrophic_backtracking_still_answers(client, configure):
    configure({"g": {"evil": r"(a|aa)+$", "nested": r"(x+x+)+y"}})
    response = post_form(client, GROUP_URL.format("g"), {"a": "a" * 80 + "b", "b": "x" * 60})
    assert response.status_code == 200


def test_long_value_is_not_tested(client, configure):
    configure({"g": {"all": ".*"}})
    response = post_form(client, GROUP_URL.format("g"), {"short": "x", "long": "x" * 5000})
    assert response.json() == {"short": "all"}


def test_server_password_requires_credentials(client, configure):
    configure({"server": {"username": "gms", "password": "s3cret"}, "g": {"all": ".*"}})
    assert_gms_error(post_form(client, GROUP_URL.format("g"), {"a": "1"}), 401)
    assert_gms_error(post_form(client, GENERAL_URL, {"a": "1"}), 401)
    response = post_form(
        client, GROUP_URL.format("g"), {"a": "1"}, Authorization=basic("gms", "s3cret")
    )
    assert response.json() == {"a": "all"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fields=st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=200), max_size=5))
def test_no_input_is_a_server_error(client, configure, fields):
    configure({"g": {"email": EMAIL, "ip": IP, "any": r"\p{L}+"}})
    form = post_form(client, GROUP_URL.format("g"), fields)
    as_json = client.post(GROUP_URL.format("g"), fields, content_type="application/json")
    assert form.status_code == 200
    assert as_json.status_code == 200
    assert set(as_json.json()) <= set(fields)
