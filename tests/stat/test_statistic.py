"""PeekStat through HTTP (stat.md §1-§4): values, both paths, auth, caching, errors, encodings."""

import json
from unittest.mock import patch

import pytest
from django.db import OperationalError

from apps.contactcenter import services
from tests.conftest import assert_gms_error, basic
from tests.contactcenter.conftest import enqueue
from tests.stat.conftest import INTERNAL, STATISTIC, statistic

pytestmark = pytest.mark.django_db

KEYS = {"name", "objectId", "objectType", "tenant", "value", "timestamp"}


def peek(client, body: dict, *, path: str = INTERNAL, **headers: str):
    return client.post(path, body, headers=headers)


@pytest.mark.parametrize(
    ("metric", "object_type", "value"),
    [
        ("CurrNumberWaitingCalls", "Queue", 2),
        ("ExpectedWaitTime", "Queue", 360),
        ("OldestWaitingTime", "Queue", 20),
        ("ServiceLevel", "Queue", 50.0),
        ("CurrNumberReadyAgents", "Queue", 1),
        ("CurrNumberReadyAgents", "GroupAgents", 1),
        (
            "CurrentAgentStates",
            "Queue",
            {"LOGGED_OUT": 0, "NOT_READY": 1, "READY": 0, "BUSY": 1},
        ),
        (
            "CurrentAgentStates",
            "GroupAgents",
            {"LOGGED_OUT": 0, "NOT_READY": 1, "READY": 0, "BUSY": 1},
        ),
    ],
)
def test_each_metric(client, contact_center, clock, metric, object_type, value):
    response = peek(client, statistic(metric=metric, objectType=object_type))
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json;charset=utf-8"
    assert response["Age"] == "0"
    assert response.json() == {
        "name": metric,
        "objectId": "VQ_Sales@SIP_Server",
        "objectType": object_type,
        "tenant": "Environment",
        "value": value,
        "timestamp": int(clock.now.timestamp() * 1000),
    }


def test_a_bare_queue_name_and_any_tenant_are_accepted(client, contact_center):
    body = peek(client, statistic(objectId="VQ_Sales", tenant="Resources")).json()
    assert (body["objectId"], body["tenant"], body["value"]) == ("VQ_Sales", "Resources", 2)


def test_service_level_is_null_before_anything_was_answered_or_abandoned(client, clock):
    enqueue(queue="VQ_New")
    response = peek(client, statistic(objectId="VQ_New", metric="ServiceLevel"))
    assert response.json()["value"] is None


def test_statistic_type_is_an_alias_of_metric_and_metric_wins(client, contact_center):
    alias = statistic(metric=None, statisticType="OldestWaitingTime")
    assert peek(client, alias).json()["value"] == 20
    both = statistic(metric="CurrNumberWaitingCalls", statisticType="OldestWaitingTime")
    assert peek(client, both).json() == peek(client, statistic()).json()
    assert peek(client, both).json()["name"] == "CurrNumberWaitingCalls"


def test_json_and_multipart_bodies(client, contact_center):
    as_json = client.post(
        INTERNAL, json.dumps(statistic(metric="ExpectedWaitTime")), content_type="application/json"
    )
    assert as_json.json()["value"] == 360
    multipart = client.post(INTERNAL, statistic(metric="OldestWaitingTime"))  # Client default
    assert multipart.json()["value"] == 20
    urlencoded = client.post(
        INTERNAL,
        "metric=CurrNumberWaitingCalls&objectType=Queue&objectId=VQ_Sales%40ioc_switch"
        "&tenant=Resources",
        content_type="application/x-www-form-urlencoded",
    )
    assert urlencoded.json()["value"] == 2


def test_a_json_number_counts_as_its_text_and_an_object_is_refused(client, db):
    response = client.post(
        INTERNAL, json.dumps(statistic(objectId=8999)), content_type="application/json"
    )
    assert assert_gms_error(response, 403)["message"] == (
        "Queue '8999' (Tenant 'Environment') not found"
    )
    response = client.post(
        INTERNAL, json.dumps(statistic(tenant={"a": 1})), content_type="application/json"
    )
    assert assert_gms_error(response, 400)["message"] == "Parameter tenant must be a string"


def test_optional_parameters_are_accepted(client, contact_center):
    body = statistic(
        notificationMode="NoNotification",
        filter="VoiceCalls",
        timeProfile="Default",
        timeRange="Range0-120",
        timeRange2="Range0-60",
        tenantPassword="secret",
    )
    response = peek(client, body)
    assert response.status_code == 200
    assert set(response.json()) == KEYS


# --- auth -----------------------------------------------------------------------------


def test_statistic_needs_the_admin_credentials_when_server_sets_no_password(
    client, contact_center, admin_headers
):
    response = peek(client, statistic(), path=STATISTIC)
    assert_gms_error(response, 401)
    assert response["WWW-Authenticate"] == 'Basic realm="Genesys Application Configuration Needed"'
    wrong = {"Authorization": basic("admin", "wrong")}
    assert_gms_error(peek(client, statistic(), path=STATISTIC, **wrong), 401)
    response = peek(client, statistic(), path=STATISTIC, **admin_headers)
    assert response.status_code == 200
    assert response.json()["value"] == 2


def test_statistic_refuses_everyone_when_no_credentials_are_configured(
    client, contact_center, settings, admin_headers
):
    settings.GMS_ADMIN_PASSWORD = ""
    assert_gms_error(peek(client, statistic(), path=STATISTIC, **admin_headers), 401)
    assert peek(client, statistic()).status_code == 200


def test_server_credentials_take_over_when_server_sets_a_password(
    client, contact_center, configure, admin_headers
):
    configure({"server": {"username": "gms", "password": "s3cret", "realm": "GMS"}})
    response = peek(client, statistic(), path=STATISTIC, **admin_headers)
    assert_gms_error(response, 401)
    assert response["WWW-Authenticate"] == 'Basic realm="GMS"'
    server = {"Authorization": basic("gms", "s3cret")}
    assert peek(client, statistic(), path=STATISTIC, **server).json()["value"] == 2


def test_internal_statistic_is_anonymous_even_with_a_server_password(
    client, contact_center, configure
):
    configure({"server": {"password": "s3cret"}})
    assert peek(client, statistic()).json()["value"] == 2


def test_port_restrictions_apply_to_internal_statistic(client, contact_center, configure):
    configure({"port_restrictions": {"/genesys/1/internal_statistic": "7000"}})
    assert_gms_error(peek(client, statistic()), 403)
    assert client.post(INTERNAL, statistic(), SERVER_PORT="7000").status_code == 200


def test_only_post_is_served(client, db):
    assert_gms_error(client.get(INTERNAL, statistic()), 405)


# --- cache ------------------------------------------------------------------------------


def test_the_cached_value_is_returned_until_max_age_is_exceeded(client, contact_center, clock):
    produced = int(clock.now.timestamp() * 1000)
    assert peek(client, statistic()).json()["value"] == 2
    enqueue()
    clock.advance(7)

    # No header: the cached value as is, with its age.
    cached = peek(client, statistic())
    assert (cached.json()["value"], cached.json()["timestamp"], cached["Age"]) == (2, produced, "7")
    # Younger than max-age: still the cached value.
    assert peek(client, statistic(), **{"Cache-Control": "max-age=8"}).json()["value"] == 2
    # As old as max-age: read afresh, and cached anew.
    fresh = peek(client, statistic(), **{"Cache-Control": "no-transform, max-age=7"})
    assert (fresh.json()["value"], fresh["Age"]) == (3, "0")
    assert fresh.json()["timestamp"] == int(clock.now.timestamp() * 1000)
    enqueue()
    assert peek(client, statistic()).json()["value"] == 3
    # max-age=0 always reads afresh.
    assert peek(client, statistic(), **{"Cache-Control": "max-age=0"}).json()["value"] == 4


def test_a_malformed_max_age_is_ignored(client, contact_center):
    assert peek(client, statistic()).json()["value"] == 2
    enqueue()
    for header in ("max-age=-1", "max-age=soon", "max-age", "max-age=" + "9" * 5000):
        assert peek(client, statistic(), **{"Cache-Control": header}).json()["value"] == 2


def test_the_cache_is_keyed_by_every_parameter(client, contact_center):
    assert peek(client, statistic()).json()["value"] == 2
    enqueue()
    assert peek(client, statistic(filter="VoiceCalls")).json()["value"] == 3
    assert peek(client, statistic(notificationMode="Reset")).json()["value"] == 3
    assert peek(client, statistic(objectId="VQ_Sales")).json()["value"] == 3
    assert peek(client, statistic()).json()["value"] == 2


def test_both_paths_share_the_cache(client, contact_center, admin_headers):
    peek(client, statistic())
    enqueue()
    assert peek(client, statistic(), path=STATISTIC, **admin_headers).json()["value"] == 2


def test_an_idle_statistic_is_evicted_after_the_idle_timeout(client, contact_center, settings):
    settings.STAT_IDLE_CLOSE_SECONDS = 60
    with patch("apps.stat.selectors.cache") as cache:
        cache.get.return_value = None
        peek(client, statistic())
    assert cache.set.call_args.args[2] == 60


# --- errors (§2.4) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"objectId": None}, "Parameter objectId is missing"),
        ({"objectId": None, "objectType": None}, "Parameter objectId is missing"),
        ({"objectType": None, "tenant": None}, "Parameter objectType is missing"),
        ({"tenant": ""}, "Parameter tenant is missing"),
        ({"tenant": None, "metric": None}, "Parameter tenant is missing"),
        ({"metric": None}, "Parameter metric is missing"),
    ],
)
def test_a_missing_parameter_is_400(client, db, missing, message):
    body = assert_gms_error(peek(client, statistic(**missing)), 400)
    assert body == {"message": message, "exception": "com.genesyslab.gsg.GSGException"}


def test_an_unknown_notification_mode_is_400(client, db):
    response = peek(client, statistic(notificationMode="immediate"))
    assert assert_gms_error(response, 400)["message"] == (
        "Parameter notificationMode must be one of NoNotification, Reset, Immediate"
    )


def test_text_no_backend_can_read_is_400(client, db):
    response = peek(client, statistic(objectId="VQ\x00"))
    assert assert_gms_error(response, 400)["message"] == (
        "Parameter objectId holds an invalid character"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"objectType": "Queues"}, "Object type 'Queues' is not supported"),
        ({"objectType": "queue"}, "Object type 'queue' is not supported"),
        ({"metric": "TotalLoginTime"}, "Statistic 'TotalLoginTime' is not defined"),
        (
            {"metric": "ExpectedWaitTime", "objectType": "Agent"},
            "Statistic 'ExpectedWaitTime' is not defined",
        ),
        (
            {"objectId": "VQ_Nowhere@SIP_Server"},
            "Queue 'VQ_Nowhere@SIP_Server' (Tenant 'Environment') not found",
        ),
        (
            {"objectType": "GroupAgents", "objectId": "Billing", "metric": "CurrNumberReadyAgents"},
            "GroupAgents 'Billing' (Tenant 'Environment') not found",
        ),
    ],
)
def test_a_statistic_not_well_defined_is_403(client, contact_center, overrides, message):
    body = assert_gms_error(peek(client, statistic(**overrides)), 403)
    assert body == {"message": message, "exception": "com.genesyslab.gsg.GSGException"}


def test_an_unreadable_data_source_is_503(client, contact_center):
    with patch("apps.contactcenter.selectors.queue_snapshot", side_effect=OperationalError("down")):
        response = peek(client, statistic())
    assert assert_gms_error(response, 503)["message"] == "Stat Server is not available"


def test_errors_are_not_cached(client, contact_center):
    assert_gms_error(peek(client, statistic(objectId="VQ_Later")), 403)
    enqueue(queue="VQ_Later")
    assert peek(client, statistic(objectId="VQ_Later")).json()["value"] == 1


def test_readiness_changes_show_after_max_age(client, contact_center):
    def ready(**headers):
        return peek(client, statistic(metric="CurrNumberReadyAgents"), **headers).json()["value"]

    assert ready() == 1
    services.set_ready(agent=contact_center["bob"])
    assert ready() == 1
    assert ready(**{"Cache-Control": "max-age=0"}) == 2
