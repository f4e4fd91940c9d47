"""Browser widgets on another origin may call the GMS APIs when [cors] lists that origin."""

import pytest

from apps.core.config import ConfigError

pytestmark = pytest.mark.django_db

NODE = "/genesys/1/node"
WIDGET = "https://www.example.com"


@pytest.fixture
def allowed(configure):
    configure({"cors": {"allowed_origins": f"{WIDGET}, https://*.example.org"}})


def preflight(client, path: str, origin: str):
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, gms_user",
        },
    )


def test_a_listed_origin_gets_its_preflight_and_its_answers(client, allowed):
    response = preflight(client, "/genesys/1/storage/60", WIDGET)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == WIDGET
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert "gms_user" in response["Access-Control-Allow-Headers"]
    assert "POST" in response["Access-Control-Allow-Methods"]
    answer = client.get(NODE, headers={"Origin": WIDGET})
    assert answer.status_code == 200
    assert answer["Access-Control-Allow-Origin"] == WIDGET
    assert "origin" in answer["Vary"].lower()


@pytest.mark.parametrize("origin", ["https://chat.example.org", "https://a.b.example.org"])
def test_a_wildcard_entry_allows_every_subdomain(client, allowed, origin):
    assert client.get(NODE, headers={"Origin": origin})["Access-Control-Allow-Origin"] == origin


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://www.example.com", "https://example.org.evil", "null"],
)
def test_other_origins_get_no_cors_headers(client, allowed, origin):
    assert "Access-Control-Allow-Origin" not in client.get(NODE, headers={"Origin": origin})
    assert "Access-Control-Allow-Origin" not in preflight(client, NODE, origin)


def test_no_origin_is_allowed_until_the_section_lists_one(client, db):
    assert "Access-Control-Allow-Origin" not in client.get(NODE, headers={"Origin": WIDGET})


def test_pages_outside_the_gms_apis_never_answer_cross_origin(client, allowed):
    response = client.get("/desk/login/", headers={"Origin": WIDGET})
    assert "Access-Control-Allow-Origin" not in response


@pytest.mark.parametrize("entry", ["*", "https://*", "www.example.com", "ftp://x", "https://a/b"])
def test_a_malformed_origin_is_refused_on_save(configure, entry):
    with pytest.raises(ConfigError, match=r"\[cors\] allowed_origins"):
        configure({"cors": {"allowed_origins": entry}})
