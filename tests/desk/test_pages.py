"""The desk page and its sign-in: agents in, everyone else told why."""

import pytest
from django.test import Client

from tests.desk.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_agent_gets_the_desk_and_a_csrf_cookie_for_its_script(make_user):
    client = Client()
    client.force_login(make_user("ann"))
    response = client.get("/desk/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-socket="/desk/ws"' in page
    assert 'data-panel="chat"' in page and 'data-panel="openmedia voice"' in page
    assert "desk/desk.js" in page
    assert response.cookies["csrftoken"].value


def test_a_signed_in_user_who_is_not_an_agent_is_told_so(make_user):
    client = Client()
    client.force_login(make_user("editor", agent=False))
    response = client.get("/desk/")
    assert response.status_code == 403
    assert "You are not an agent" in response.content.decode()
    assert "gms_agent add editor" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_desk_sign_in():
    response = Client().get("/desk/")
    assert response.status_code == 302
    assert response["Location"] == "/desk/login/?next=/desk/"


def test_an_agent_who_is_not_staff_signs_in_and_out(make_user):
    user = make_user("ann")
    assert not user.is_staff
    client = Client()
    assert 'name="username"' in client.get("/desk/login/?next=/desk/").content.decode()
    response = client.post(
        "/desk/login/", {"username": "ann", "password": PASSWORD, "next": "/desk/"}
    )
    assert response.status_code == 302 and response["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200
    response = client.post("/desk/logout/")
    assert response.status_code == 302 and response["Location"] == "/desk/login/"
    assert client.get("/desk/").status_code == 302


def test_a_wrong_password_is_refused_on_the_page(make_user):
    make_user("ann")
    response = Client().post("/desk/login/", {"username": "ann", "password": "wrong"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_the_page_script_posts_with_the_session_and_the_csrf_header(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("ann"))
    token = client.get("/desk/").cookies["csrftoken"].value
    assert client.post("/api/agent/login").status_code == 403
    response = client.post("/api/agent/login", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert response.json()["state"] == "NOT_READY"
