"""The EWT API (stat.md §6): v1 ewt-for-vq and v2 /genesys/2/ewt/{mode}."""

import pytest

from tests.conftest import assert_gms_error, basic

pytestmark = pytest.mark.django_db

V1 = "/genesys/1/service/ewt-for-vq"


# A service section needs a kind (service.md §1); the EWT API reads only its credentials.
EWT_SERVICE = {"_type": "ors", "_service": "http://ors:7210/ewt.scxml"}

# contact_center: VQ_Sales has a newcomer's EWT of 360 s; nothing waits in VQ_Other and
# carol, who serves it, is READY and free: 0 s.


def test_v1_answers_the_queue_by_name(client, contact_center):
    assert client.get(V1, {"name": "VQ_Sales", "aqt": "urs2"}).json() == {"VQ_Sales": 360}
    assert client.get(V1, {"name": "VQ_Other"}).json() == {"VQ_Other": 0}


@pytest.mark.parametrize("aqt", ["urs", "urs2", "stat"])
def test_v1_gives_every_aqt_mode_the_same_estimate(client, contact_center, aqt):
    assert client.get(V1, {"name": "VQ_Sales", "aqt": aqt}).json() == {"VQ_Sales": 360}


def test_v1_by_post_reads_form_and_json_fields(client, contact_center):
    assert client.post(V1, {"name": "VQ_Sales"}).json() == {"VQ_Sales": 360}
    response = client.post(V1, {"name": "VQ_Other", "aqt": "stat"}, content_type="application/json")
    assert response.json() == {"VQ_Other": 0}
    assert client.post(f"{V1}?name=VQ_Sales").json() == {"VQ_Sales": 360}


def test_v1_leaves_an_unknown_queue_out(client, contact_center):
    assert client.get(V1, {"name": "VQ_Nowhere"}).json() == {}
    assert client.get(V1, {"name": "VQ_Nowhere,VQ_Sales"}).json() == {"VQ_Sales": 360}
    assert client.get(V1, {"name": "x" * 300}).json() == {}


def test_v1_errors(client, db):
    assert assert_gms_error(client.get(V1), 400)["message"] == "Parameter name is missing"
    response = client.get(V1, {"name": "VQ_Sales", "aqt": "fast"})
    assert assert_gms_error(response, 400)["message"] == (
        "Parameter aqt must be one of urs, urs2, stat"
    )
    response = client.get(V1, {"name": "VQ\x00"})
    assert "NUL" in assert_gms_error(response, 400)["message"]


def test_v1_follows_the_service_credentials(client, contact_center, configure):
    configure({"service.ewt-for-vq": {**EWT_SERVICE, "username": "ewt", "password": "pw"}})
    assert_gms_error(client.get(V1, {"name": "VQ_Sales"}), 401)
    headers = {"Authorization": basic("ewt", "pw")}
    assert client.get(V1, {"name": "VQ_Sales"}, headers=headers).json() == {"VQ_Sales": 360}


def test_v1_is_not_taken_by_the_generic_service_route(client, contact_center, configure):
    # A configured service of that name does not change what the path answers.
    configure({"service.ewt-for-vq": {"_type": "builtin", "_service": "office-hours"}})
    assert client.get(V1, {"name": "VQ_Sales"}).json() == {"VQ_Sales": 360}


@pytest.mark.parametrize("mode", ["ewt1", "ewt2", "ewt3"])
def test_v2_answers_the_named_queues_in_every_mode(client, contact_center, mode):
    response = client.get(f"/genesys/2/ewt/{mode}", {"vq": "VQ_Other,VQ_Nowhere,VQ_Sales"})
    assert response.status_code == 200
    assert list(response.json().items()) == [("VQ_Other", 0), ("VQ_Sales", 360)]


def test_v2_without_vq_answers_every_queue(client, contact_center):
    assert client.get("/genesys/2/ewt/ewt2").json() == {"VQ_Other": 0, "VQ_Sales": 360}


def test_v2_an_unknown_mode_is_404(client, db):
    assert assert_gms_error(client.get("/genesys/2/ewt/ewt4"), 404)["message"] == (
        "EWT mode ewt4 not found"
    )


def test_v2_follows_the_server_credentials_only(client, contact_center, configure):
    configure(
        {
            "server": {"password": "s3cret"},
            "service.ewt-for-vq": {**EWT_SERVICE, "username": "x", "password": "y"},
        }
    )
    assert_gms_error(client.get("/genesys/2/ewt/ewt2"), 401)
    headers = {"Authorization": basic("any", "s3cret")}
    assert client.get("/genesys/2/ewt/ewt2", {"vq": "VQ_Sales"}, headers=headers).json() == {
        "VQ_Sales": 360
    }
