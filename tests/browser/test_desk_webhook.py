"""The desk's callback panel by the service's dialer, in a real browser against a real
ASGI server (an :class:`EmbeddedNode`, as in test_desk).

With ``_dialer=webhook`` the telephony system (here a local HTTP server) receives the dial
request and reports the outcome to its ``outcomeUrl``: the panel says the telephony system
dials, offers no ``tel:`` link nor outcome buttons, and the card goes once the outcome is
reported. With ``_dialer=desk`` the agent dials and reports the outcome herself.
"""

import json
import time
import urllib.request
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from tests.browser.test_desk import (
    agent_node,
    call,
    css,
    screenshot,
    sign_in_and_get_ready,
    visible,
    wait,
)
from tests.embedded import EmbeddedNode
from tests.notification.target import Target, serving

pytestmark = pytest.mark.slow

SERVICES_INI = """
[service.cb-webhook]
_type=builtin
_service=callback
_default_country=US
_urs_virtual_queue=VQ_CB
_dialer=webhook
_dialer_url={dialer_url}

[service.cb-desk]
_type=builtin
_service=callback
_default_country=US
_urs_virtual_queue=VQ_CB

[service.cb-inbound]
_type=builtin
_service=callback
_default_country=US
_urs_virtual_queue=VQ_CB
_call_direction=USERORIGINATED
_dialer=webhook
_dialer_url={dialer_url}

[resources]
DNIS=+18005550100

[service.match-interaction]
_type=builtin
_service=match-interaction
"""


@pytest.fixture
def telephony():
    """The telephony system behind ``_dialer_url``: records dial requests, answers 200."""
    with serving() as target:
        yield target


@pytest.fixture
def node(tmp_path, telephony):
    """A server with both callback services; Ann serves their queue VQ_CB."""
    ini = SERVICES_INI.format(dialer_url=telephony.url)
    with agent_node(tmp_path, {"ann": "VQ_CB"}, ini) as server:
        yield server


def request_callback(node: EmbeddedNode, service: str) -> str:
    body = {"_customer_number": "+14155550142", "first_name": "Ana"}
    return call(f"{node.base}/genesys/1/service/callback/{service}", body)["_id"]


def state_of(node: EmbeddedNode, callback_id: str) -> tuple[str, str]:
    (record,) = call(f"{node.base}/genesys/1/service/callback?_id={callback_id}")
    return record["_callback_state"], record.get("_callback_reason", "")


def accept_the_offer(browser):
    """Accept the one offer shown; the callback card it becomes."""
    offer = visible(browser, ".offers [data-id]")
    interaction = offer.get_attribute("data-id")
    offer.find_element(By.CSS_SELECTOR, "[data-action=accept]").click()
    return visible(browser, f"[data-panel~=callback] [data-id='{interaction}']")


def dial_request(telephony: Target) -> dict:
    deadline = time.monotonic() + 20
    while not telephony.received:
        assert time.monotonic() < deadline, "the webhook dialer sent nothing"
        time.sleep(0.1)
    (received,) = telephony.received
    return json.loads(received.body)


def report_outcome(node: EmbeddedNode, outcome_url: str, outcome: str) -> None:
    """POST the outcome as the telephony system does, with the URL's token and no other
    credentials. The node's GMS_PUBLIC_URL is the default, so the path is sent to it."""
    url = urlsplit(outcome_url)
    request = urllib.request.Request(
        f"{node.base}{url.path}?{url.query}",
        data=json.dumps({"outcome": outcome}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def test_the_panel_follows_the_services_dialer(browser, node, telephony):
    sign_in_and_get_ready(browser, node.base, "ann")

    # The webhook dialer: the telephony system dials and reports.
    callback_id = request_callback(node, "cb-webhook")
    card = accept_the_offer(browser)
    dialled = card.find_element(By.CSS_SELECTOR, "[data-dialled-by]")
    assert dialled.text == "Dialled by the telephony system"
    assert card.find_elements(By.CSS_SELECTOR, "[data-outcome], [data-dial]") == []
    assert "Ana" in card.text
    screenshot(browser, "desk-webhook-callback.png")

    dial = dial_request(telephony)
    assert (dial["_id"], dial["agent"]) == (callback_id, "ann")
    assert state_of(node, callback_id)[0] == "ROUTING"
    report_outcome(node, dial["outcomeUrl"], "CONNECTED")
    wait(browser).until(expected_conditions.staleness_of(card))
    assert state_of(node, callback_id) == ("COMPLETED", "AGENT_CONNECTED")

    # The desk dialer: the agent dials and reports the outcome from the panel.
    callback_id = request_callback(node, "cb-desk")
    card = accept_the_offer(browser)
    assert card.find_elements(By.CSS_SELECTOR, "[data-dialled-by]") == []
    link = card.find_element(By.CSS_SELECTOR, "[data-dial]")
    assert link.get_attribute("href") == "tel:+14155550142"
    outcomes = card.find_elements(By.CSS_SELECTOR, "[data-outcome]")
    assert [button.text for button in outcomes] == [
        "Connected",
        "No answer",
        "Busy",
        "Wrong number",
    ]
    outcomes[0].click()
    wait(browser).until(expected_conditions.staleness_of(card))
    assert state_of(node, callback_id) == ("COMPLETED", "AGENT_CONNECTED")
    assert len(telephony.received) == 1  # the desk dialer sends nothing
    assert css(browser, "[data-panel~=callback] [data-count]").text == ""

    # A user-originated callback: the customer calls the access number in, the IVR matches
    # the call, and the agent takes a customer already on the line: nothing to dial.
    body = {"_customer_number": "+14155550142"}
    answer = call(f"{node.base}/genesys/1/service/callback/cb-inbound", body)
    assert (answer["_action"], answer["_tel_url"]) == ("DialNumber", "tel:+18005550100")
    matched = call(
        f"{node.base}/genesys/1/service/match-interaction", {"_access_number": "+18005550100"}
    )
    assert matched["_id"] == answer["_id"]
    card = accept_the_offer(browser)
    assert card.find_element(By.CSS_SELECTOR, "[data-called-in]").text == (
        "The customer called in and is on the line"
    )
    assert card.find_elements(By.CSS_SELECTOR, "[data-dial], [data-dialled-by]") == []
    outcomes = card.find_elements(By.CSS_SELECTOR, "[data-outcome]")
    assert [button.text for button in outcomes] == ["Connected"]
    outcomes[0].click()
    wait(browser).until(expected_conditions.staleness_of(card))
    assert state_of(node, answer["_id"]) == ("COMPLETED", "AGENT_CONNECTED")
    assert len(telephony.received) == 1  # no dial for a customer who called in
