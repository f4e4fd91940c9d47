"""``_type=ors`` services (service.md §4): the workflow's JSON unchanged, fail-over along
``_ors``, and 500 OrsServiceException when no ORS answers (ORSHardeningTests)."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest
from django.core.cache import cache

from tests.services.conftest import post

pytestmark = pytest.mark.django_db
HELLO = "http://orshost:7210/hello/src-gen/IPD_default_hello.scxml"
FAILED = {
    "exception": "com.genesyslab.gsg.services.ors.OrsServiceException",
    "message": "ORS request failed: cannot connect to ORS. IO issue.",
}


@pytest.fixture
def ors():
    """A fake ORS answering {"msg":"hello"}; ``.forms`` holds what each start received."""
    forms: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            forms.append((self.path, dict(parse_qsl(self.rfile.read(length).decode()))))
            body = b'{"msg":"hello"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    server.forms = forms
    cache.clear()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def down() -> str:
    """The URL of a port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _hello(configure, urls: list[str], strategy: str = "linear", attempts: str = "") -> None:
    sections = {
        "service.hello": {
            "_type": "ors",
            "_service": HELLO,
            "_ors": ",".join(urls),
            "_ors_lb_strategy": strategy,
            "_ttl": "3600",
        }
    }
    if attempts:
        sections["ors"] = {"max_ors_request_attempts": attempts}
    configure(sections)


@pytest.mark.parametrize("encoding", ["form", "json", "multipart"])
def test_the_workflow_answer_is_returned_unchanged(client, configure, ors, encoding):
    _hello(configure, [ors.url])
    response = post(client, "/genesys/1/service/hello", {"_phone": "555", "name": "Ana"}, encoding)
    assert (response.status_code, response.content) == (200, b'{"msg":"hello"}')
    path, form = ors.forms[0]
    assert path == "/scxml/session/start"
    assert form == {"src": HELLO, "_service_name": "hello", "_phone": "555", "name": "Ana"}


def test_user_data_keys_are_sent_as_plain_keys(client, configure, ors):
    _hello(configure, [ors.url])
    post(client, "/genesys/1/service/hello", {"userData[lang]": "fr", "count": "2"})
    [(_, form)] = ors.forms
    assert form == {"src": HELLO, "_service_name": "hello", "lang": "fr", "count": "2"}


def test_linear_fails_over_along_the_list(client, configure, ors, down):
    _hello(configure, [down, ors.url])
    assert client.post("/genesys/1/service/hello").json() == {"msg": "hello"}


def test_one_attempt_circular_starts_each_request_at_the_next_url(client, configure, ors, down):
    # ORSHardeningTests: first request 500, second 200.
    _hello(configure, [down, ors.url], strategy="circular", attempts="1")
    first = client.post("/genesys/1/service/hello")
    assert (first.status_code, first.json()) == (500, FAILED)
    second = client.post("/genesys/1/service/hello")
    assert (second.status_code, second.json()) == (200, {"msg": "hello"})


def test_one_attempt_linear_never_reaches_the_second(client, configure, ors, down):
    _hello(configure, [down, ors.url], attempts="1")
    for _ in range(2):
        assert client.post("/genesys/1/service/hello").status_code == 500
    assert ors.forms == []


def test_no_ors_answering_is_500(client, configure, down):
    _hello(configure, [down])
    response = client.post("/genesys/1/service/hello")
    assert (response.status_code, response.json()) == (500, FAILED)
    assert response["Content-Type"] == "application/json;charset=utf-8"


def test_overwritable_ors_takes_the_request_url(client, configure, ors, down):
    configure(
        {
            "service.hello": {
                "_type": "ors",
                "_service": HELLO,
                "_ors": down,
                "_overwritable_options": "_ors",
            }
        }
    )
    response = client.post(
        "/genesys/1/service/hello", json.dumps({"_ors": ors.url}), content_type="application/json"
    )
    assert response.json() == {"msg": "hello"}
