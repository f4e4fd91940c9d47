"""``gms_agent add`` and ``gms_agent list``: agents are users with an agent profile."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from apps.contactcenter.models import AgentProfile, AgentState

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("gms_agent", *args, stdout=out)
    return out.getvalue()


def capacity_of(username: str) -> dict[str, int]:
    agent = AgentProfile.objects.get(user__username=username)
    return dict(agent.capacities.values_list("media", "capacity"))


def test_add_creates_a_user_and_an_agent():
    output = run("add", "ann", "--password", "pw", "--capacity", "chat=5,email=2")
    assert output.startswith("Added agent ann LOGGED_OUT capacity")
    user = get_user_model().objects.get(username="ann")
    assert user.check_password("pw") and not user.is_staff
    assert capacity_of("ann") == {
        "chat": 5,
        "email": 2,
        "openmedia": 1,
        "callback": 1,
        "voice": 1,
    }
    assert user.agent_profile.state == AgentState.LOGGED_OUT


def test_add_again_updates_capacity_and_queues_and_keeps_the_rest():
    run("add", "ann", "--capacity", "chat=2", "--queues", "VQ_A,VQ_B")
    output = run("add", "ann", "--capacity", "voice=0", "--staff")
    assert output.startswith("Updated agent ann")
    assert "serving VQ_A,VQ_B" in output
    assert capacity_of("ann")["chat"] == 2 and capacity_of("ann")["voice"] == 0
    assert get_user_model().objects.get(username="ann").is_staff
    run("add", "ann", "--all-queues")
    assert "serving all queues" in run("list")


def test_an_existing_user_becomes_an_agent_without_a_new_password():
    get_user_model().objects.create_user("bob", password="kept")
    run("add", "bob")
    assert get_user_model().objects.get(username="bob").check_password("kept")
    assert AgentProfile.objects.filter(user__username="bob").exists()


def test_a_new_user_without_a_password_cannot_sign_in_yet():
    run("add", "carol")
    assert not get_user_model().objects.get(username="carol").has_usable_password()


@pytest.mark.parametrize("capacity", ["chat", "chat=many", "fax=1", "chat=-1"])
def test_bad_capacity_is_refused_and_nothing_is_created(capacity):
    with pytest.raises(CommandError):
        run("add", "dave", "--capacity", capacity)
    assert not get_user_model().objects.filter(username="dave").exists()


def test_list_shows_every_agent():
    run("add", "ann")
    run("add", "bob", "--queues", "VQ_Sales")
    lines = run("list").splitlines()
    assert [line.split()[0] for line in lines] == ["ann", "bob"]
    assert lines[1].endswith("serving VQ_Sales")
