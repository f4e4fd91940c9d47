"""The desk's email panel in a real browser against a real ASGI server (an
:class:`EmbeddedNode`, as in test_desk): a customer posts an email with an attachment
through the Email API, the agent accepts it, reads it, downloads the attachment and
completes it."""

import json
import urllib.request
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from tests.browser.test_desk import (
    PASSWORD,
    agent_node,
    call,
    css,
    screenshot,
    sign_in_and_get_ready,
    text_is,
    visible,
    wait,
)

pytestmark = pytest.mark.slow

EMAIL_INI = """
[email]
queue=VQ_Email

[email.billing]
mailbox=billing@company.example
"""
FIELDS = {
    "firstName": "Maria",
    "lastName": "Lopez",
    "fromAddress": "maria.lopez@example.org",
    "subject": "Question about my invoice",
    "text": "Hello,\ninvoice 2024-118 shows a double charge.",
    "userData[AccountNumber]": "AC-55120",
}
PDF = b"%PDF-1.4 invoice 2024-118"


@pytest.fixture
def node(tmp_path):
    with agent_node(tmp_path, {"ann": "VQ_Email"}, EMAIL_INI) as server:
        yield server


def post_email(base: str) -> dict:
    """A multipart POST as a web form sends it, with one PDF attachment."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in FIELDS.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="invoice-2024-118.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + PDF
        + b"\r\n"
    )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        f"{base}/genesys/2/email/billing",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_the_agent_reads_an_email_downloads_its_attachment_and_completes_it(browser, node):
    sign_in_and_get_ready(browser, node.base, "ann")
    answer = post_email(node.base)
    assert answer["statusCode"] == 0

    offer = visible(browser, ".offers [data-id]")
    assert "Question about my invoice" in offer.text
    interaction = offer.get_attribute("data-id")
    offer.find_element(By.CSS_SELECTOR, "[data-action=accept]").click()
    card = visible(browser, f"[data-panel~=email] [data-id='{interaction}']")
    wait(browser).until(lambda b: card.find_elements(By.CSS_SELECTOR, "[data-subject]"))
    panel = card.find_element(By.CSS_SELECTOR, ".email")
    assert css(panel, "[data-from]").text == "Maria Lopez <maria.lopez@example.org>"
    assert css(panel, "[data-mailbox]").text == "billing@company.example"
    assert css(panel, "[data-subject]").text == "Question about my invoice"
    assert css(panel, "[data-text]").text == FIELDS["text"]
    assert "AC-55120" in panel.text
    link = css(panel, "[data-attachments] a")
    assert link.text == "invoice-2024-118.pdf"
    screenshot(browser, "desk-email.png")

    # The link downloads with the desk's session: fetch it as the page would.
    downloaded = browser.execute_async_script(
        """const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: "same-origin"})
          .then(async (r) => done([r.status, await r.text()]));""",
        link.get_attribute("href"),
    )
    assert downloaded == [200, PDF.decode()]

    card.find_element(By.NAME, "disposition").send_keys("Refund issued")
    card.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(expected_conditions.staleness_of(card))
    text_is(browser, "[data-state]", "Ready")
    detail = call(
        f"{node.base}/api/agent/interactions/{interaction}", user="ann", password=PASSWORD
    )
    assert (detail["state"], detail["disposition"]) == ("completed", "Refund issued")
    assert detail["source"] == "email" and detail["sourceId"] == answer["interactionId"]
