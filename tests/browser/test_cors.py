"""A web widget on another origin calls the GMS API from a real browser (apps/core/cors.py).

The widget page is served by a plain HTTP server on one port, the GMS node listens on
another: a different origin. With that origin in [cors] the browser's preflight and
its credentialed POST pass and the widget reads the answer; from an origin not listed
the browser itself refuses to hand the answer over.
"""

import functools
import http.server
import threading
from collections.abc import Iterator

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from tests.embedded import EmbeddedNode

pytestmark = pytest.mark.slow

# JSON with a custom header: the browser must ask first (a preflight), then POST.
WIDGET_PAGE = """<!doctype html><html><body><p id="result">waiting</p><script>
fetch("{node}/genesys/1/storage/60", {{
  method: "POST", credentials: "include",
  headers: {{"Content-Type": "application/json", "gms_user": "ann"}},
  body: JSON.stringify({{"firstName": "Ana"}}),
}}).then(r => r.json()).then(body => {{ result.textContent = "stored " + body.id; }})
  .catch(error => {{ result.textContent = "blocked"; }});
</script></body></html>"""


@pytest.fixture
def widget_sites(tmp_path) -> Iterator[list[str]]:
    """Two widget origins (two ports) serving the same page."""
    servers = []
    for n in range(2):
        root = tmp_path / f"site{n}"
        root.mkdir()
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
        handler.log_message = lambda *args: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append((server, root))
    yield servers
    for server, _ in servers:
        server.shutdown()
        server.server_close()


def test_a_listed_widget_origin_calls_the_api_and_another_is_refused(
    browser, tmp_path, widget_sites
):
    origins = [f"http://127.0.0.1:{server.server_address[1]}" for server, _ in widget_sites]
    node = EmbeddedNode(tmp_path / "node")
    try:
        ini = tmp_path / "cors.ini"
        ini.write_text(f"[cors]\nallowed_origins={origins[0]}\n")
        node.manage("gms_config", "load", str(ini))
        for _, root in widget_sites:
            (root / "widget.html").write_text(WIDGET_PAGE.format(node=node.base))

        def result_of(origin: str) -> str:
            browser.get(f"{origin}/widget.html")
            wait = WebDriverWait(browser, 15)
            wait.until(lambda b: b.find_element("id", "result").text != "waiting")
            return browser.find_element("id", "result").text

        assert result_of(origins[0]).startswith("stored ")
        assert result_of(origins[1]) == "blocked"
    finally:
        node.stop()
