"""Two agents at their desks in a real browser, against a real ASGI server with WebSockets.

pytest-django's live server speaks WSGI only, so the desks talk to an
:class:`EmbeddedNode` (``gms_serve``: daphne, SQLite, in-memory channel layer).
Each agent has a window of its own; Ann's is on ``127.0.0.1`` and Bob's on
``localhost``, so their session cookies never mix. Work is queued through the
server's HTTP API, as an integration would.

The desk is also saved as a full-page screenshot: in a temporary folder, or in
docs/screenshots/ when GMS_SCREENSHOTS=docs/screenshots is set.
"""

import base64
import json
import os
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests.conftest import ADMIN_PASSWORD, ADMIN_USER
from tests.embedded import EmbeddedNode

pytestmark = pytest.mark.slow

SCREENSHOTS = Path(os.environ.get("GMS_SCREENSHOTS") or tempfile.mkdtemp(prefix="gms-shots-"))
PASSWORD = "an-agent-password"
# Records every interaction card a desk ever shows, to prove one never appeared.
WATCH_CARDS = """
window.cardsSeen = new Set();
new MutationObserver(() => {
  for (const card of document.querySelectorAll("[data-desk] [data-id]")) {
    window.cardsSeen.add(card.dataset.id);
  }
}).observe(document.body, {subtree: true, childList: true});
"""


@contextmanager
def agent_node(tmp_path: Path, agents: dict[str, str], ini: str = "") -> Iterator[EmbeddedNode]:
    """A real server with ``ini`` loaded, where each agent (PASSWORD) serves its queues;
    offers wait 300 s, longer than any test."""
    server = EmbeddedNode(tmp_path / "node", GMS_OFFER_TIMEOUT_SECONDS="300")
    try:
        if ini:
            (tmp_path / "services.ini").write_text(ini)
            server.manage("gms_config", "load", str(tmp_path / "services.ini"))
        for username, queues in agents.items():
            server.manage("gms_agent", "add", username, "--password", PASSWORD, "--queues", queues)
        yield server
    finally:
        server.stop()


@pytest.fixture
def node(tmp_path):
    """A server where Ann serves VQ_Sales and Bob VQ_Billing; neither is staff."""
    with agent_node(tmp_path, {"ann": "VQ_Sales", "bob": "VQ_Billing"}) as server:
        yield server


def call(
    url: str, body: dict | None = None, user: str = ADMIN_USER, password: str = ADMIN_PASSWORD
):
    """GET, or POST a JSON body, with Basic credentials; returns the JSON answer."""
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body else None)
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def queue_work(node: EmbeddedNode, media: str, queue: str, user_data: dict) -> int:
    body = {"media": media, "queue": queue, "userData": user_data}
    return call(f"{node.base}/api/interactions", body)["id"]


def wait(browser):
    return WebDriverWait(browser, 15)


def css(browser, selector: str):
    return browser.find_element(By.CSS_SELECTOR, selector)


def visible(browser, selector: str):
    located = (By.CSS_SELECTOR, selector)
    return wait(browser).until(expected_conditions.visibility_of_element_located(located))


def text_is(browser, selector: str, text: str) -> None:
    wait(browser).until(lambda b: css(b, selector).text == text)


def sign_in_and_get_ready(browser, base: str, username: str) -> None:
    browser.get(f"{base}/desk/")
    wait(browser).until(expected_conditions.url_contains("/desk/login/"))
    css(browser, "#id_username").send_keys(username)
    css(browser, "#id_password").send_keys(PASSWORD, Keys.ENTER)
    wait(browser).until(expected_conditions.url_to_be(f"{base}/desk/"))
    text_is(browser, "[data-connection]", "Live")
    text_is(browser, "[data-state]", "Logged out")
    css(browser, "[data-action=ready]").click()
    text_is(browser, "[data-state]", "Ready")


def screenshot(browser, name: str) -> None:
    """The whole page: the window grows to the page's height for the shot."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, max(900, height + 140))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / name))
    browser.set_window_size(1400, 1000)


def test_work_reaches_the_right_desk_live_and_is_completed_there(browser, node):
    ann_window = browser.current_window_handle
    sign_in_and_get_ready(browser, node.base, "ann")
    browser.execute_script(WATCH_CARDS)

    browser.switch_to.new_window("window")
    browser.set_window_size(1400, 1000)
    sign_in_and_get_ready(browser, node.base.replace("127.0.0.1", "localhost"), "bob")
    browser.execute_script("window.sameDocument = true;")

    chat = queue_work(
        node, "chat", "VQ_Billing", {"name": "Bo Lindqvist", "subject": "Invoice 2041 is wrong"}
    )
    offer = visible(browser, f".offers [data-id='{chat}']")
    assert browser.execute_script("return window.sameDocument === true")  # no reload
    assert "Chat · VQ_Billing" in offer.text
    assert "Invoice 2041 is wrong" in offer.text
    offer.find_element(By.CSS_SELECTOR, "[data-action=accept]").click()
    work = visible(browser, f"[data-panel~=chat] [data-id='{chat}']")
    text_is(browser, "[data-state]", "Busy")

    email = queue_work(
        node,
        "email",
        "VQ_Billing",
        {"name": "Eva Berg", "email": "eva@example.com", "subject": "Change of address"},
    )
    visible(browser, f".offers [data-id='{email}']")
    work.find_element(By.NAME, "disposition").send_keys("Credit note sent")
    screenshot(browser, "desk.png")

    css(browser, f".offers [data-id='{email}'] [data-action=reject]").click()
    wait(browser).until(
        expected_conditions.invisibility_of_element_located(
            (By.CSS_SELECTOR, f".offers [data-id='{email}']")
        )
    )
    # Rejecting sets Bob NOT_READY; he is still shown BUSY while the chat goes on.
    wait(browser).until(lambda b: css(b, "[data-state-detail]").text.startswith("not ready"))

    work.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(expected_conditions.staleness_of(work))
    assert browser.find_elements(By.CSS_SELECTOR, "[data-desk] [data-id]") == []
    text_is(browser, "[data-state]", "Not ready")

    detail = call(f"{node.base}/api/agent/interactions/{chat}", user="bob", password=PASSWORD)
    assert (detail["state"], detail["agent"], detail["disposition"]) == (
        "completed",
        "bob",
        "Credit note sent",
    )
    kinds = [event["kind"] for event in detail["events"]]
    assert kinds == ["queued", "offered", "accepted", "completed"]

    browser.switch_to.window(ann_window)
    assert browser.execute_script("return [...window.cardsSeen]") == []
    assert css(browser, "[data-state]").text == "Ready"
    assert css(browser, "[data-connection]").text == "Live"
