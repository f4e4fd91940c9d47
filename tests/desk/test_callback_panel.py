"""The desk's callback panel: the page loads it, and its outcome call works as the page
makes it (session cookie and CSRF header)."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from apps.callback.models import Callback
from apps.contactcenter import services as contactcenter
from apps.contactcenter.models import Interaction, InteractionState

pytestmark = pytest.mark.django_db

SERVICE = {
    "_type": "ors",
    "_service": "callback",
    "_default_country": "US",
    "_urs_virtual_queue": "VQ_CB",
}


def test_the_page_loads_the_panel_after_the_desk(make_user):
    client = Client()
    client.force_login(make_user("ann"))
    page = client.get("/desk/").content.decode()
    assert page.index("desk/desk.js") < page.index("desk/callback.js")
    script = finders.find("desk/callback.js")
    assert script and 'Desk.panels.register("callback"' in Path(script).read_text()


def test_the_panel_reports_an_outcome_with_session_and_csrf(make_user, configure):
    configure({"service.cb-desk": SERVICE})
    user = make_user("ann", queues=["VQ_CB"])
    agent = contactcenter.register_agent(user=user)
    contactcenter.login(agent=agent)
    contactcenter.set_ready(agent=agent)
    created = Client().post(
        "/genesys/1/service/callback/cb-desk",
        {"_customer_number": "+14155550142", "first_name": "Ann"},
        content_type="application/json",
    )
    callback_id = created.json()["_id"]
    contactcenter.route(queue_name="VQ_CB")
    interaction = Interaction.objects.get(state=InteractionState.OFFERED)
    contactcenter.accept(interaction=interaction, agent=agent)

    desk = Client(enforce_csrf_checks=True)
    desk.force_login(user)
    token = desk.get("/desk/").cookies["csrftoken"].value
    work = desk.get("/api/agent/offers").json()["active"][0]
    assert work["media"] == "callback"
    assert work["userData"]["_customer_number"] == "+14155550142"
    assert work["userData"]["first_name"] == "Ann"
    url = f"/api/agent/callbacks/{work['id']}/outcome"
    assert (
        desk.post(url, {"outcome": "CONNECTED"}, content_type="application/json").status_code == 403
    )
    response = desk.post(
        url,
        {"outcome": "CONNECTED"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    callback = Callback.objects.get(pk=callback_id)
    assert (callback.state, callback.reason) == ("COMPLETED", "AGENT_CONNECTED")
    assert desk.get("/api/agent/offers").json()["active"] == []
