"""The agent's side: the email of an accepted interaction and its attachments, by HTTP."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from apps.contactcenter import services as contactcenter
from apps.email.models import Attachment, Email
from tests.conftest import basic
from tests.email.conftest import PASSWORD, URL, accept_next, form

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(client, email_service, make_agent):
    """Ann accepted an email with two attachments: (ann's client, interaction id, email body)."""
    files = [
        SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 one", content_type="application/pdf"),
        SimpleUploadedFile("page.txt", b"<script>x</script>", content_type="text/html"),
    ]
    data = form(**{"userData[AccountNumber]": "AC-55120"}, files=files)
    assert client.post(URL, data).status_code == 200
    ann = make_agent("ann")
    interaction = accept_next(ann)
    desk = Client()
    desk.force_login(ann.user)
    return desk, interaction.pk


def test_the_holder_reads_the_email(held):
    desk, interaction_id = held
    body = desk.get(f"/api/agent/emails/{interaction_id}").json()
    assert body["fromAddress"] == "maria.lopez@example.org"
    assert (body["firstName"], body["lastName"]) == ("Maria", "Lopez")
    assert body["subject"] == "Question about my invoice"
    assert body["text"].startswith("Hello, invoice 2024-118")
    assert body["userData"] == {"AccountNumber": "AC-55120"}
    assert body["serviceName"] == "billing" and body["receivedAt"].endswith("Z")
    names = [(a["name"], a["contentType"], a["size"]) for a in body["attachments"]]
    assert names == [("invoice.pdf", "application/pdf", 12), ("page.txt", "text/html", 18)]


def test_the_holder_downloads_an_attachment(held):
    desk, interaction_id = held
    attachments = desk.get(f"/api/agent/emails/{interaction_id}").json()["attachments"]
    response = desk.get(attachments[0]["url"])
    assert response.status_code == 200
    assert response.content == b"%PDF-1.4 one"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="invoice.pdf"'
    html = desk.get(attachments[1]["url"])
    assert html["Content-Disposition"].startswith("attachment")
    assert html["X-Content-Type-Options"] == "nosniff"


def test_the_holder_still_reads_it_after_completing(held):
    desk, interaction_id = held
    assert desk.post(f"/api/agent/interactions/{interaction_id}/complete").status_code == 200
    assert desk.get(f"/api/agent/emails/{interaction_id}").status_code == 200


def test_other_agents_get_404_and_other_users_403(held, make_agent):
    desk, interaction_id = held
    url = desk.get(f"/api/agent/emails/{interaction_id}").json()["attachments"][0]["url"]
    bob = Client()
    bob.force_login(make_agent("bob").user)
    assert bob.get(f"/api/agent/emails/{interaction_id}").status_code == 404
    assert bob.get(url).status_code == 404
    get_user_model().objects.create_user("carl", password=PASSWORD)
    carl = {"HTTP_AUTHORIZATION": basic("carl", PASSWORD)}
    assert Client().get(url, **carl).status_code == 403
    assert Client().get(url).status_code == 403
    assert Client().get(f"/api/agent/emails/{interaction_id}").status_code == 403


def test_unknown_attachments_and_other_media_are_404(held, make_agent):
    desk, interaction_id = held
    assert desk.get(f"/api/agent/emails/{interaction_id}/attachments/999999").status_code == 404
    assert desk.get("/api/agent/emails/999999").status_code == 404
    chat = contactcenter.enqueue(media="chat", queue_name="VQ_Chat")
    agent = make_agent("dan", queues=("VQ_Chat",))
    contactcenter.route(queue_name="VQ_Chat")
    chat.refresh_from_db()
    contactcenter.accept(interaction=chat, agent=agent)
    dan = Client()
    dan.force_login(agent.user)
    assert dan.get(f"/api/agent/emails/{chat.pk}").status_code == 404


def test_an_attachment_of_another_email_is_404(client, held):
    desk, interaction_id = held
    own = desk.get(f"/api/agent/emails/{interaction_id}").json()["attachments"]
    assert client.post(URL, form(files=[SimpleUploadedFile("x.pdf", b"x")])).status_code == 200
    foreign = Attachment.objects.exclude(pk__in=[a["id"] for a in own]).get()
    url = f"/api/agent/emails/{interaction_id}/attachments/{foreign.pk}"
    assert desk.get(url).status_code == 404


def test_the_desk_loads_the_email_panel_after_the_desk(held):
    desk, _ = held
    page = desk.get("/desk/").content.decode()
    assert page.index("desk/desk.js") < page.index("desk/email.js")
    script = finders.find("desk/email.js")
    assert script and 'Desk.panels.register("email"' in Path(script).read_text()


def test_operators_see_emails_in_the_admin(held, admin_client):
    email = Email.objects.get()
    page = admin_client.get(f"/admin/email/email/{email.pk}/change/")
    assert page.status_code == 200
    assert b"invoice.pdf" in page.content and b"maria.lopez@example.org" in page.content
    assert admin_client.get("/admin/email/email/?q=maria").status_code == 200
