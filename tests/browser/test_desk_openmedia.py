"""An open media interaction at the desk in a real browser: created through the Open Media
API, offered, shown by the open media panel (types and user data), completed with the
desk's form; and a client's stop taking an offer away.

Same set-up as test_desk.py: an :class:`EmbeddedNode` (the live server has no WebSockets).
"""

import json
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from tests.browser.test_desk import agent_node, css, sign_in_and_get_ready, text_is, visible, wait
from tests.embedded import EmbeddedNode

pytestmark = pytest.mark.slow

CONFIG = """
[openmedia.send-survey]
queue=VQ_Surveys
interaction_type=Inbound
interaction_subtype=InboundNew
media_type=survey
"""


@pytest.fixture
def node(tmp_path):
    with agent_node(tmp_path, {"ann": "VQ_Surveys"}, CONFIG) as server:
        yield server


def post(node: EmbeddedNode, path: str, fields: dict[str, str] | None = None) -> dict:
    """POST a url-encoded form, as GMS clients do; returns the JSON answer."""
    data = urllib.parse.urlencode(fields or {}).encode()
    url = f"{node.base}/genesys/2/openmedia/{path}"
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as response:
        return json.loads(response.read())


def gone(browser, selector: str) -> None:
    located = (By.CSS_SELECTOR, selector)
    wait(browser).until(expected_conditions.invisibility_of_element_located(located))


def test_the_panel_shows_the_interaction_and_the_agent_completes_it(browser, node):
    sign_in_and_get_ready(browser, node.base, "ann")
    created = post(
        node,
        "send-survey",
        {"externalId": "CRM-7781", "userData[SurveyType]": "post-chat", "userData[Q1]": "5"},
    )
    ixn = created["interactionId"]
    offer = visible(browser, ".offers [data-id]")
    assert "Open media · VQ_Surveys" in offer.text
    offer.find_element(By.CSS_SELECTOR, "[data-action=accept]").click()
    work = visible(browser, "[data-panel~=openmedia] .openmedia")
    facts = {
        fact.get_attribute("data-fact"): fact.text
        for fact in work.find_elements(By.CSS_SELECTOR, "[data-fact]")
    }
    assert facts == {
        "_interactionType": "Inbound",
        "_interactionSubType": "InboundNew",
        "_mediaType": "survey",
        "_openMediaId": ixn,
    }
    user_data = work.find_element(By.CSS_SELECTOR, "[data-facts] ~ dl").text
    assert "SurveyType\npost-chat" in user_data and "ExternalId\nCRM-7781" in user_data
    assert "_mediaType" not in user_data
    got = post(node, f"send-survey/{ixn}/get")["properties"]
    assert (got["interactionState"], got["interactionIsLocked"]) == ("processing", True)

    card = work.find_element(By.XPATH, "ancestor::article")
    card.find_element(By.NAME, "disposition").send_keys("Survey reviewed")
    card.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(expected_conditions.staleness_of(card))
    assert post(node, f"send-survey/{ixn}/get")["properties"]["interactionState"] == "stopped"
    text_is(browser, "[data-state]", "Ready")


def test_a_client_stop_takes_the_offer_away(browser, node):
    sign_in_and_get_ready(browser, node.base, "ann")
    ixn = post(node, "send-survey")["interactionId"]
    visible(browser, ".offers [data-id]")
    assert post(node, f"send-survey/{ixn}/stop", {"reason": "customer left"}) == {"statusCode": 0}
    gone(browser, ".offers [data-id]")
    assert css(browser, "[data-panel~=openmedia] [data-cards]").text == ""
    assert post(node, f"send-survey/{ixn}/get")["properties"]["interactionState"] == "stopped"
