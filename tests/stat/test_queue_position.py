"""``/genesys/1/service/{id}/check-queue-position`` (service.md §2.3) and the ETA/position rule."""

import pytest

from apps.contactcenter import services
from apps.stat.selectors import (
    DEFAULT_ETA_POS_THRESHOLD,
    agent_ready_threshold_passed,
    parse_eta_pos_threshold,
)
from tests.conftest import assert_gms_error, basic
from tests.contactcenter.conftest import enqueue

pytestmark = pytest.mark.django_db


def check(client, service_id: str, method: str = "get", **headers: str):
    path = f"/genesys/1/service/{service_id}/check-queue-position"
    return getattr(client, method)(path, headers=headers)


def test_a_queued_callback(client, contact_center):
    # First in line; ann's one chat slot is taken, so one AHT (120 s) away.
    assert check(client, "cb-first").json() == {
        "_position": 1,
        "_eta": 120,
        "_total_waiting": 2,
        "_agent_ready_threshold_passed": False,
        "ewt": 120,
    }
    assert check(client, "cb-second", "post").json() == {
        "_position": 2,
        "_eta": 240,
        "_total_waiting": 2,
        "_agent_ready_threshold_passed": False,
        "ewt": 240,
    }


def test_an_offered_callback_is_no_longer_waiting(client, contact_center):
    expected = {
        "_position": 0,
        "_eta": 0,
        "_total_waiting": 2,
        "_agent_ready_threshold_passed": True,
        "ewt": 0,
    }
    assert check(client, "cb-offered").json() == expected
    services.accept(interaction=contact_center["offered"], agent=contact_center["ann"])
    assert check(client, "cb-offered", "post").json() == expected


def test_a_free_agent_passes_the_threshold(client, clock, make_agent):
    make_agent("dave", capacity={"chat": 3})
    enqueue(queue="VQ_Chat", source="callback", source_id="cb-now")  # not routed yet
    body = check(client, "cb-now").json()
    assert (body["_position"], body["_eta"], body["_agent_ready_threshold_passed"]) == (1, 0, True)


def test_an_unknown_id_is_404(client, db):
    body = assert_gms_error(check(client, "cb-unknown"), 404)
    assert body == {
        "exception": "com.genesyslab.gsg.services.exceptions.ServiceNotFoundException",
        "message": "Service cb-unknown not found",
    }
    assert_gms_error(check(client, "x" * 300), 404)
    assert_gms_error(check(client, "cb%00"), 400)


def test_only_the_server_credentials_apply(client, contact_center, configure):
    configure({"server": {"password": "s3cret"}})
    assert_gms_error(check(client, "cb-first"), 401)
    response = check(client, "cb-first", Authorization=basic("any", "s3cret"))
    assert response.json()["_position"] == 1


@pytest.mark.parametrize(
    ("eta", "position", "passed"),
    [
        (0, 10, True),
        (0, 11, False),
        (9, 10, True),
        (10, 6, False),
        (15, 5, True),
        (25, 2, True),
        (25, 3, False),
        (39, 1, True),
        (40, 1, False),
        (3600, 1, False),
    ],
)
def test_the_default_eta_position_threshold(eta, position, passed):
    thresholds = parse_eta_pos_threshold(DEFAULT_ETA_POS_THRESHOLD)
    assert agent_ready_threshold_passed(thresholds, eta=eta, position=position) is passed


def test_an_eta_below_every_pair_does_not_pass():
    thresholds = parse_eta_pos_threshold("30:5, 5:10")
    assert thresholds == [(5, 10), (30, 5)]
    assert not agent_ready_threshold_passed(thresholds, eta=4, position=1)
    assert agent_ready_threshold_passed(thresholds, eta=5, position=10)


@pytest.mark.parametrize("text", ["", "10", "a:1", "10:-1", "0:10,"])
def test_a_malformed_threshold_is_refused(text):
    with pytest.raises(ValueError):
        parse_eta_pos_threshold(text)
