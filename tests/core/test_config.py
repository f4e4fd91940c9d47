"""The configuration model: kinds of section, validation, INI text, and per-request options."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.core import config
from apps.core.config import ConfigError


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("service.cb1", "service"),
        ("server", "system"),
        ("storage", "system"),
        ("cb_errors", "patterns"),
        ("email", "channel"),
        ("email.survey", "channel"),
        ("openmedia.workitems", "channel"),
        ("emails", "patterns"),
    ],
)
def test_section_kind_follows_gms_names(name, kind):
    assert config.section_kind(name) == kind


def test_a_service_needs_type_and_service():
    with pytest.raises(ConfigError) as error:
        config.validate_section("service.x", {"_ttl": "soon"})
    message = str(error.value)
    assert "[service.x] _type" in message
    assert "[service.x] _service: is required" in message
    assert "[service.x] _ttl: must be a whole number" in message


def test_an_unknown_builtin_service_is_refused():
    with pytest.raises(ConfigError, match=r"\[service.x\] _service: unknown builtin"):
        config.validate_section("service.x", {"_type": "builtin", "_service": "teleport"})


def test_an_ors_service_is_accepted():
    config.validate_section(
        "service.hello",
        {"_type": "ors", "_service": "http://orshost:7210/hello.scxml", "_ttl": "3600"},
    )


def test_server_options_are_checked():
    with pytest.raises(ConfigError, match=r"\[server\] allow-file-control"):
        config.validate_section("server", {"allow-file-control": "maybe"})


def test_port_restrictions_need_uri_patterns_and_port_lists():
    config.validate_section("port_restrictions", {"/genesys/1/storage*": "81,92-98"})
    with pytest.raises(ConfigError) as error:
        config.validate_section("port_restrictions", {"genesys": "80", "/genesys/1/x*": "9-2"})
    assert "[port_restrictions] genesys: a URI pattern starts with '/'" in str(error.value)
    assert "[port_restrictions] /genesys/1/x*" in str(error.value)


def test_section_names_are_restricted():
    with pytest.raises(ConfigError, match="section names"):
        config.validate_section("bad name", {})


INI = """\
[server]
realm=My Realm
password=
[service.callback-1]
_type=builtin
_service=callback
_urs_virtual_queue=$vq_token$
Mixed Case Key=value with = sign and ; semicolon
[cb_errors]
emergency=\\+?911
time:of day=^\\d{2}:\\d{2}$
multi=first line
\tsecond line
"""


def test_ini_text_round_trips():
    sections = config.parse_ini(INI)
    assert sections["service.callback-1"]["Mixed Case Key"] == "value with = sign and ; semicolon"
    assert sections["cb_errors"]["emergency"] == "\\+?911"
    assert sections["cb_errors"]["time:of day"] == "^\\d{2}:\\d{2}$"
    assert sections["cb_errors"]["multi"] == "first line\nsecond line"
    assert sections["server"]["password"] == ""
    assert config.parse_ini(config.format_ini(sections)) == sections
    assert list(config.parse_ini(config.format_ini(sections))["service.callback-1"]) == [
        "_type",
        "_service",
        "_urs_virtual_queue",
        "Mixed Case Key",
    ]


option_names = st.text(
    alphabet=st.characters(
        blacklist_characters="=[]\n\r;#", blacklist_categories=["Cs", "Zs", "Cc", "Zl", "Zp"]
    ),
    min_size=1,
    max_size=20,
)
option_values = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]), max_size=40
).map(str.strip)


@given(st.dictionaries(option_names, option_values, max_size=8))
def test_any_section_round_trips(options):
    sections = {"some_group": options}
    assert config.parse_ini(config.format_ini(sections)) == sections


def test_duplicate_options_are_a_load_error():
    with pytest.raises(ConfigError, match="not a valid INI file"):
        config.parse_ini("[server]\nrealm=a\nrealm=b\n")


def test_tokens_are_substituted_from_the_request():
    resolved = config.resolve_options(
        {"_urs_virtual_queue": "$vq_token$", "_target": "$skill$@Stat.GA", "_ttl": "30"},
        {"vq_token": "VQ_Sales", "_customer_number": "5551234"},
    )
    assert resolved.options == {
        "_urs_virtual_queue": "VQ_Sales",
        "_target": "@Stat.GA",
        "_ttl": "30",
    }
    assert resolved.token_params == {"vq_token"}


def test_only_listed_and_allowed_options_are_overwritten():
    configured = {
        "_overwritable_options": "_ors, _target,_ttl",
        "_ors": "http://ors1:7210",
        "_target": "Sales",
        "_ttl": "30",
        "_redirect": "other",
    }
    resolved = config.resolve_options(
        configured, {"_ors": "http://ors2:4421", "_ttl": "99", "_redirect": "mine"}
    )
    assert resolved.options["_ors"] == "http://ors2:4421"
    assert resolved.options["_target"] == "Sales"  # listed, but not in the request
    assert resolved.options["_ttl"] == "30"  # listed, but GMS only lets _ors/_target/_redirect
    assert resolved.options["_redirect"] == "other"  # allowed, but not listed


def test_redirect_can_be_switched_off_when_listed():
    resolved = config.resolve_options(
        {"_overwritable_options": "_redirect", "_redirect": "other"}, {"_redirect": ""}
    )
    assert resolved.options["_redirect"] == ""


@pytest.mark.parametrize(
    ("option", "value"),
    [("#comment", "x"), ("a=b", "x"), (" padded", "x"), ("name", " padded "), ("[x]", "y")],
)
def test_options_that_ini_cannot_carry_are_refused(option, value):
    with pytest.raises(ConfigError, match="cannot be written as INI"):
        config.validate_section("server", {option: value})
