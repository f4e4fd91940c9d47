"""Localized events (push.md §6): ``mediaType=localizestring`` pushes a text of the file."""

import json

import pytest

from apps.notification.localization import localize, parse_properties
from apps.notification.options import push_option

pytestmark = pytest.mark.django_db

BASE = "/genesys/1/notification"
MESSAGES = """\
# push-messages.properties
! another comment
callback.ready=Your callback is ready
callback.ready.fr=Votre rappel est prêt
callback.ready.fr_CA=Votre rappel est prêt, chum
ors.contact.42 = Agent available
"""


def _post(client, path: str, body: dict):
    response = client.post(f"{BASE}/{path}", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return response


def _subscribe(client, url: str, **details) -> None:
    body = {
        "subscriberId": "s",
        "filter": "*",
        "notificationDetails": {"type": "httpcb", "deviceId": url, **details},
    }
    _post(client, "subscription", body)


@pytest.fixture
def messages(tmp_path, configure, eager) -> str:
    path = tmp_path / "push-messages.properties"
    path.write_text(MESSAGES, encoding="utf-8")
    configure({"push": {"pushEnabled": "httpcb", "localization.file": str(path)}})
    return str(path)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (None, "Your callback is ready"),
        ("fr", "Votre rappel est prêt"),
        ("fr-CA", "Votre rappel est prêt, chum"),
        ("fr_ca", "Votre rappel est prêt, chum"),
        ("fr-BE", "Votre rappel est prêt"),
        ("es", "Your callback is ready"),
    ],
)
def test_the_subscription_language_picks_the_text(client, messages, target, language, text):
    properties = {} if language is None else {"language": language}
    _subscribe(client, target.url, properties=properties)
    body = {"tag": "t", "message": "callback.ready", "mediaType": "localizestring"}
    _post(client, "publish", body)
    assert target.bodies() == [text]


def test_an_empty_message_uses_the_tag_as_key(client, messages, target) -> None:
    _subscribe(client, target.url)
    _post(
        client, "publish", {"tag": "ors.contact.42", "message": "", "mediaType": "localizestring"}
    )
    assert target.bodies() == ["Agent available"]


def test_an_unknown_key_or_a_missing_file_pushes_the_key(client, configure, eager, target):
    configure({"push": {"pushEnabled": "httpcb", "localization.file": "/nonexistent/file"}})
    _subscribe(client, target.url)
    _post(client, "publish", {"tag": "t", "message": "no.such.key", "mediaType": "localizestring"})
    assert target.bodies() == ["no.such.key"]


def test_a_string_event_is_never_localized(client, messages, target) -> None:
    _subscribe(client, target.url, properties={"language": "fr"})
    _post(client, "publish", {"tag": "t", "message": "callback.ready", "mediaType": "string"})
    _post(client, "publish", {"tag": "t", "message": "callback.ready"})
    assert target.bodies() == ["callback.ready", "callback.ready"]


def test_the_provider_and_debug_choose_the_file(client, tmp_path, configure, eager, target):
    files = {}
    for name in ("push", "debug", "provider"):
        files[name] = tmp_path / f"{name}.properties"
        files[name].write_text(f"hello=from {name}\n", encoding="utf-8")
    configure(
        {
            "push": {
                "pushEnabled": "httpcb",
                "localization.file": str(files["push"]),
                "debug.localization.file": str(files["debug"]),
            },
            "push.provider.sales": {"localization.file": str(files["provider"])},
        }
    )
    _subscribe(client, target.url + "?plain")
    _subscribe(client, target.url + "?debug", properties={"debug": "TRUE"})
    body = {
        "subscriberId": "s",
        "filter": "*",
        "providerName": "sales",
        "notificationDetails": {"type": "httpcb", "deviceId": target.url + "?provider"},
    }
    _post(client, "subscription", body)
    _post(client, "publish", {"tag": "t", "message": "hello", "mediaType": "localizestring"})
    assert sorted((r.path, r.body) for r in target.received) == [
        ("/hook?debug", "from debug"),
        ("/hook?plain", "from push"),
        ("/hook?provider", "from provider"),
    ]


def test_push_option_resolution(configure, caplog) -> None:
    configure(
        {
            "push": {"a": "push-a", "debug.a": "push-debug-a", "b": "push-b"},
            "push.provider.p": {"a": "p-a"},
        }
    )
    assert push_option("a") == "push-a"
    assert push_option("a", debug=True) == "push-debug-a"
    assert push_option("a", provider_name="p") == "p-a"
    assert push_option("b", provider_name="p", debug=True) == "push-b"
    assert push_option("missing") == ""
    assert push_option("a", provider_name="unknown") == "push-a"
    assert "'unknown' is not configured" in caplog.text


def test_properties_syntax() -> None:
    text = (
        "# comment\n"
        "  ! comment too\n"
        "\n"
        "plain=value\n"
        "colon:value\n"
        "spaced   =   value with spaces  \n"
        "blank value\n"
        "empty=\n"
        "escaped\\=key=tab\\there\n"
        "unicode=caf\\u00e9\n"
        "long=first \\\n"
        "     second\n"
        "backslash=ends\\\\\n"
        "next=after\n"
    )
    assert parse_properties(text) == {
        "plain": "value",
        "colon": "value",
        "spaced": "value with spaces  ",
        "blank": "value",
        "empty": "",
        "escaped=key": "tab\there",
        "unicode": "café",
        "long": "first second",
        "backslash": "ends\\",
        "next": "after",
    }


def test_lookup_order() -> None:
    entries = {"k": "default", "k.pt": "pt", "k.pt-BR": "pt-BR"}
    assert localize("k", "pt_br", entries) == "pt-BR"
    assert localize("k", "pt-PT", entries) == "pt"
    assert localize("k", "", entries) == "default"
    assert localize("missing", "pt", entries) == "missing"
