"""``manage.py gms_config load|dump`` as an operator runs it."""

import pytest
from django.core.management import CommandError, call_command

from apps.core import selectors

pytestmark = pytest.mark.django_db

GMS_INI = """\
[server]
realm=Genesys
allow-file-control=true
allowed-mime-types=image/png,application/pdf

[service.hello]
_type=ors
_service=http://orshost:7210/hello/src-gen/IPD_default_hello.scxml
_ors=http://orshost:7210
_ors_lb_strategy=linear
_ttl=3600
_name=The Hello World Service

[cb_errors]
emergency=\\+?911
Pattern1=\\d{3}
"""


def dump() -> str:
    from io import StringIO

    out = StringIO()
    call_command("gms_config", "dump", stdout=out)
    return out.getvalue()


def test_load_then_dump_round_trips(tmp_path):
    source = tmp_path / "gms.ini"
    source.write_text(GMS_INI)
    call_command("gms_config", "load", str(source))
    assert selectors.get_section("cb_errors") == {"emergency": "\\+?911", "Pattern1": "\\d{3}"}
    first = dump()

    again = tmp_path / "again.ini"
    again.write_text(first)
    call_command("gms_config", "load", str(again), "--replace-all")
    assert dump() == first
    from apps.core.config import parse_ini

    assert parse_ini(first) == parse_ini(GMS_INI)


def test_a_bad_option_loads_nothing_and_names_section_and_option(tmp_path):
    call_command("gms_config", "load", _write(tmp_path, "[server]\nrealm=Kept\n"))
    bad = "[server]\nrealm=Changed\n[service.cb]\n_type=builtin\n_service=callback\n_ttl=-5\n"
    with pytest.raises(CommandError, match=r"\[service.cb\] _ttl: must be at least 1"):
        call_command("gms_config", "load", _write(tmp_path, bad))
    assert selectors.get_section("server") == {"realm": "Kept"}
    assert selectors.get_section("service.cb") is None


def test_load_if_empty_keeps_an_edited_configuration(tmp_path):
    call_command("gms_config", "load", _write(tmp_path, "[server]\nrealm=Edited\n"))
    call_command("gms_config", "load", "--if-empty", _write(tmp_path, "[server]\nrealm=Demo\n"))
    assert selectors.get_section("server") == {"realm": "Edited"}


def test_load_replaces_named_sections_and_keeps_others(tmp_path):
    call_command(
        "gms_config", "load", _write(tmp_path, "[server]\nrealm=A\nx=1\n[cb_errors]\np=a\n")
    )
    call_command("gms_config", "load", _write(tmp_path, "[server]\nrealm=B\n"))
    assert selectors.get_section("server") == {"realm": "B"}
    assert selectors.get_section("cb_errors") == {"p": "a"}


def test_the_demo_configuration_loads():
    call_command("gms_config", "load", "docker/demo.ini")
    assert selectors.get_section("patterns")


def test_the_demo_configuration_has_a_working_service_of_each_kind(client):
    call_command("gms_config", "load", "docker/demo.ini")
    assert {"office-hours", "capacity", "callback", "request-interaction", "match-interaction"} <= {
        options["_service"]
        for name, options in selectors.all_sections().items()
        if name.startswith("service.")
    }
    response = client.get(
        "/genesys/2/service/callback/callback-sales/availability",
        {"start": "2030-01-07T14:00:00Z", "end": "2030-01-07T15:00:00Z"},  # a Monday, 9-10 ET
    )
    assert len(response.json()["slots"]) == 12
    response = client.post(
        "/genesys/1/service/callback/callback-anytime",
        {"_customer_number": "+14155550142"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["_id"]


def test_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("gms_config", "load", str(tmp_path / "missing.ini"))


def _write(tmp_path, text: str) -> str:
    path = tmp_path / f"f{abs(hash(text))}.ini"
    path.write_text(text)
    return str(path)
