"""The admin shows queues, agents and interactions; history and counters stay read-only."""

import pytest

from apps.contactcenter import services
from apps.contactcenter.models import AgentState, Interaction
from tests.contactcenter.conftest import enqueue, fresh

pytestmark = pytest.mark.django_db


def test_every_page_renders(admin_client, make_agent):
    agent = make_agent("ann")
    interaction = enqueue("VQ_Sales")
    services.route()
    pages = [
        "/admin/contactcenter/virtualqueue/",
        f"/admin/contactcenter/virtualqueue/{interaction.queue_id}/change/",
        "/admin/contactcenter/agentprofile/",
        f"/admin/contactcenter/agentprofile/{agent.pk}/change/",
        "/admin/contactcenter/agentprofile/add/",
        "/admin/contactcenter/interaction/",
        f"/admin/contactcenter/interaction/{interaction.pk}/change/",
    ]
    for page in pages:
        response = admin_client.get(page)
        assert response.status_code == 200, page
    detail = admin_client.get(f"/admin/contactcenter/interaction/{interaction.pk}/change/")
    assert b"offered" in detail.content and b"ann" in detail.content
    # ann is READY and holds the offer: the listing presents her BUSY.
    agents = admin_client.get("/admin/contactcenter/agentprofile/")
    assert b"BUSY" in agents.content


def test_interactions_cannot_be_edited_or_deleted_in_the_admin(admin_client):
    interaction = enqueue()
    response = admin_client.post(
        f"/admin/contactcenter/interaction/{interaction.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert Interaction.objects.filter(pk=interaction.pk).exists()


def test_the_log_out_action_withdraws_offers(admin_client, make_agent):
    agent = make_agent("ann")
    interaction = enqueue()
    services.route()
    admin_client.post(
        "/admin/contactcenter/agentprofile/",
        {"action": "log_out", "_selected_action": [agent.pk]},
    )
    assert fresh(agent).state == AgentState.LOGGED_OUT
    assert fresh(interaction).state == "queued"
