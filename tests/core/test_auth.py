"""Basic-auth resolution per scope (responses.md §4.2, the cases GMS's own QA suite confirms)."""

import pytest
from django.test import RequestFactory

from apps.core.auth import enforce_access, parse_ports
from apps.core.errors import Forbidden, Unauthorized
from tests.conftest import basic

pytestmark = pytest.mark.django_db


def request(
    credentials: tuple[str, str] | None = None, path: str = "/genesys/1/storage/60", port="80"
):
    headers = {"HTTP_AUTHORIZATION": basic(*credentials)} if credentials else {}
    return RequestFactory().post(path, SERVER_PORT=port, **headers)


def allowed(scope: str | None, credentials: tuple[str, str] | None = None, **kw) -> bool:
    try:
        enforce_access(request(credentials, **kw), scope=scope)
    except Unauthorized:
        return False
    return True


def test_no_password_anywhere_means_no_auth(configure):
    configure({"server": {"username": "gms"}})
    assert allowed("storage")
    assert allowed("service.chat")


def test_server_credentials_apply_to_every_scope(configure):
    configure({"server": {"username": "gms", "password": "s3cret"}})
    for scope in ("storage", "notification", "callback", "service.chat", None):
        assert allowed(scope, ("gms", "s3cret"))
        assert not allowed(scope, ("someone", "s3cret"))
        assert not allowed(scope, ("gms", "wrong"))
        assert not allowed(scope)


def test_a_scope_with_its_own_credentials_wins(configure):
    configure(
        {
            "server": {"username": "gms", "password": "s3cret"},
            "storage": {"username": "store", "password": "st0re"},
        }
    )
    assert allowed("storage", ("store", "st0re"))
    assert not allowed("storage", ("gms", "s3cret"))
    assert allowed("notification", ("gms", "s3cret"))


def test_only_a_password_turns_auth_on_for_any_user_name(configure):
    configure({"service.chat": {"_type": "builtin", "_service": "chat", "password": "p"}})
    assert not allowed("service.chat")
    assert allowed("service.chat", ("anyone", "p"))
    assert allowed("storage")


def test_server_user_name_with_service_password(configure):
    configure(
        {
            "server": {"username": "gms", "password": "s3cret"},
            "service.chat": {"_type": "builtin", "_service": "chat", "password": "svc"},
        }
    )
    assert allowed("service.chat", ("gms", "svc"))
    assert not allowed("service.chat", ("gms", "s3cret"))


def test_the_challenge_names_the_configured_realm(configure):
    configure({"server": {"password": "x", "realm": "Contact Center"}})
    with pytest.raises(Unauthorized) as error:
        enforce_access(request(), scope="storage")
    assert error.value.headers["WWW-Authenticate"] == 'Basic realm="Contact Center"'


def test_malformed_authorization_headers_are_unauthorized(configure):
    configure({"server": {"password": "x"}})
    for header in ("Basic", "Basic !!!", "Bearer abc", "Basic " + "bm9jb2xvbg=="):
        with pytest.raises(Unauthorized):
            enforce_access(RequestFactory().get("/", HTTP_AUTHORIZATION=header), scope=None)


def test_port_restrictions(configure):
    configure(
        {
            "port_restrictions": {
                "/genesys/1/admin/*": "8100-8102",
                "/genesys/1/storage*": "81",
                "/genesys/1/storage/custom*": "82",
            }
        }
    )
    enforce_access(request(port="81"), scope="storage")
    with pytest.raises(Forbidden):
        enforce_access(request(port="8080"), scope="storage")
    # the most specific pattern decides
    enforce_access(request(path="/genesys/1/storage/custom/a/60", port="82"), scope="storage")
    with pytest.raises(Forbidden):
        enforce_access(request(path="/genesys/1/storage/custom/a/60", port="81"), scope="storage")
    # a path no pattern names is served on every port the section names, and only there
    enforce_access(request(path="/genesys/1/phonenumber", port="8101"), scope=None)
    with pytest.raises(Forbidden):
        enforce_access(request(path="/genesys/1/phonenumber", port="9000"), scope=None)


def test_parse_ports():
    assert parse_ports("92-94,100") == {92, 93, 94, 100}
    for bad in ("x", "5-1", "0", "70000"):
        with pytest.raises(ValueError):
            parse_ports(bad)
