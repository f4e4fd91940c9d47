"""Notification API through HTTP, as a GMS client and an ORS publisher use it (notification.md)."""

import json
import logging
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.notification.models import Subscription
from apps.notification.tasks import purge_expired_subscriptions
from tests.conftest import assert_gms_error, basic

pytestmark = pytest.mark.django_db

BASE = "/genesys/1/notification"
# As the Genesys demo (Retrofit 1 + Gson) sends it: parameters must be ignored.
DEMO_JSON = "application/json; charset=UTF-8"


def post_json(client, path: str, body: object, **headers: str):
    if not isinstance(body, str | bytes):
        body = json.dumps(body)  # ASCII: lone surrogates reach the server as \ud800
    data = body.encode() if isinstance(body, str) else body
    return client.generic("POST", f"{BASE}/{path}", data, content_type=DEMO_JSON, headers=headers)


def subscribe(client, device_id: str, filter: str = "*", type: str = "httpcb", **extra) -> str:
    body = {
        "subscriberId": "a41f9c0e7d2b6e13",
        "notificationDetails": {"deviceId": device_id, "type": type},
        "filter": filter,
        **extra,
    }
    response = post_json(client, "subscription", body)
    assert response.status_code == 200, response.content
    return response.json()["id"]


def publish(client, tag: str, message: str = "Agent is ready to call you", **extra):
    response = post_json(client, "publish", {"tag": tag, "message": message, **extra})
    assert response.status_code == 200, response.content
    assert response.content == b""
    return response


@pytest.fixture
def httpcb(configure, eager) -> None:
    configure({"push": {"pushEnabled": "comet,httpcb"}})


def test_the_demo_subscription_answers_a_uuid4_id(client, configure) -> None:
    configure({"push": {"pushEnabled": "gcm"}})
    body = {
        "subscriberId": "a41f9c0e7d2b6e13",
        "notificationDetails": {"deviceId": "dQw4reg-token-example", "type": "gcm"},
        "expire": 60,
        "filter": "*",
    }
    response = post_json(client, "subscription", body, gms_user="8c1d0f2e44b1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json;charset=utf-8"
    subscription_id = response.json()["id"]
    assert response.json() == {"id": subscription_id}
    assert str(uuid.UUID(subscription_id, version=4)) == subscription_id
    stored = Subscription.objects.get(id=subscription_id)
    assert (stored.subscriber_id, stored.type, stored.device_id) == (
        "a41f9c0e7d2b6e13",
        "gcm",
        "dQw4reg-token-example",
    )
    assert (stored.gms_user, stored.provider_name, stored.properties) == ("8c1d0f2e44b1", "", {})
    lifetime = stored.expires_at - timezone.now()
    assert timedelta(seconds=55) < lifetime <= timedelta(seconds=60)


def test_every_subscription_is_new(client, httpcb, target) -> None:
    assert subscribe(client, target.url) != subscribe(client, target.url)


def test_a_published_message_arrives_at_the_httpcb_target(client, httpcb, target) -> None:
    subscribe(client, target.url, filter="ors.contact.*")
    message = '{"_id":"2a4e","_action":"ConfirmationDialog"}'
    publish(client, "ors.contact.12345678", message, mediaType="string")
    [request] = target.received
    assert (request.path, request.body) == ("/hook", message)
    assert request.content_type == "text/plain;charset=utf-8"


@pytest.mark.parametrize(
    ("authorization", "header"),
    [("ZGVtbzo=", "Basic ZGVtbzo="), ("Bearer t0ken", "Bearer t0ken"), (None, None)],
)
def test_customhttp_sends_the_subscriptions_authorization(
    client, configure, eager, target, authorization, header
) -> None:
    configure({"push": {"pushEnabled": "customhttp", "customhttp.url": target.url}})
    extra = {} if authorization is None else {"authorization": authorization}
    subscribe(client, "crm-user-8812", type="customhttp", **extra)
    publish(client, "ors.contact.1", "Agent available")
    [request] = target.received
    assert request.authorization == header
    assert json.loads(request.body) == {"deviceId": "crm-user-8812", "message": "Agent available"}


def test_only_matching_live_subscriptions_get_the_event(client, httpcb, target) -> None:
    subscribe(client, target.url + "?all", filter="*")
    subscribe(client, target.url + "?contact", filter="ors.contact.*")
    subscribe(client, target.url + "?exact", filter="ors.contact.42")
    subscribe(client, target.url + "?other", filter="ors.other.*")
    publish(client, "ors.contact.42")
    assert sorted(request.path for request in target.received) == [
        "/hook?all",
        "/hook?contact",
        "/hook?exact",
    ]


def test_two_subscriptions_on_one_device_get_two_pushes(client, httpcb, target) -> None:
    subscribe(client, target.url, filter="ors.*")
    subscribe(client, target.url, filter="*.42")
    publish(client, "ors.42", "twice")
    assert target.bodies() == ["twice", "twice"]


def test_a_publish_matching_nothing_is_still_200(client, httpcb, target) -> None:
    subscribe(client, target.url, filter="ors.contact.1")
    publish(client, "ors.contact.2")
    assert target.received == []


def test_a_failing_target_does_not_fail_the_publish(client, httpcb, target) -> None:
    target.statuses = [500, 500, 500]
    subscribe(client, target.url)
    publish(client, "push.demo", "retried")
    assert target.bodies() == ["retried"] * 3


def test_publish_to_notification_details_alone(client, httpcb, target) -> None:
    """The demo's "publish to self": a target, no subscription."""
    details = {"type": "httpcb", "deviceId": target.url}
    publish(client, "push.demo", "to self", notificationDetails=details)
    assert target.bodies() == ["to self"]


def test_publish_to_a_subscribed_target_pushes_it_once(client, httpcb, target) -> None:
    subscribe(client, target.url, filter="push.*")
    details = {"type": "httpcb", "deviceId": target.url, "properties": {}}
    publish(client, "push.demo", "once", notificationDetails=details)
    assert target.bodies() == ["once"]


def test_the_target_of_a_publish_must_be_enabled(client, httpcb, target) -> None:
    details = {"type": "fcm", "deviceId": "token"}
    response = post_json(
        client, "publish", {"tag": "t", "message": "m", "notificationDetails": details}
    )
    assert "pushEnabled" in assert_gms_error(response, 400)["message"]


def test_channels_without_provider_are_accepted_then_skipped(
    client, configure, eager, caplog
) -> None:
    configure({"push": {"pushEnabled": "fcm,ios,comet"}})
    for channel in ("fcm", "ios", "comet"):
        subscribe(client, "device-token", type=channel)
    with caplog.at_level(logging.WARNING, logger="apps.notification.services"):
        publish(client, "push.demo")
    assert caplog.text.count("no provider yet") == 3


def test_an_expired_subscription_is_never_matched_nor_deleted(client, httpcb, target) -> None:
    subscription_id = subscribe(client, target.url, expire=30)
    Subscription.objects.filter(id=subscription_id).update(expires_at=timezone.now())
    publish(client, "push.demo")
    assert target.received == []
    assert_gms_error(client.delete(f"{BASE}/subscription/{subscription_id}"), 404)


def test_the_beat_sweeper_purges_expired_subscriptions_only(client, httpcb, target) -> None:
    expired, live = subscribe(client, target.url), subscribe(client, target.url)
    Subscription.objects.filter(id=expired).update(expires_at=timezone.now() - timedelta(1))
    assert purge_expired_subscriptions() == 1
    assert list(Subscription.objects.values_list("id", flat=True)) == [live]


@pytest.mark.parametrize(
    ("configured", "expire", "seconds"),
    [
        (None, None, 30),
        ({"defaultSubscriptionExpiration": "300"}, None, 300),
        ({"defaultSubscriptionExpiration": "300"}, 0, 300),
        ({"defaultSubscriptionExpiration": "300"}, -5, 300),
        ({"defaultSubscriptionExpiration": "300"}, 45, 45),
        ({"defaultSubscriptionExpiration": "29"}, None, 30),
        ({"defaultSubscriptionExpiration": "soon"}, None, 30),
        (None, 7 * 24 * 3600, 7 * 24 * 3600),
    ],
)
def test_expiration(client, configure, configured, expire, seconds) -> None:
    configure({"push": {"pushEnabled": "httpcb", **(configured or {})}})
    extra = {} if expire is None else {"expire": expire}
    stored = Subscription.objects.get(id=subscribe(client, "http://127.0.0.1/", **extra))
    lifetime = (stored.expires_at - stored.created_at).total_seconds()
    assert seconds - 1 < lifetime <= seconds


def test_an_enormous_expire_is_clamped_not_a_500(client, httpcb) -> None:
    stored = Subscription.objects.get(id=subscribe(client, "http://h/", expire=10**30))
    assert stored.expires_at.year > timezone.now().year + 50


def test_unsubscribe_stops_the_pushes(client, httpcb, target) -> None:
    subscription_id = subscribe(client, target.url)
    response = client.delete(f"{BASE}/subscription/{subscription_id}")
    assert (response.status_code, response.content) == (200, b"")
    publish(client, "push.demo")
    assert target.received == []
    assert_gms_error(client.delete(f"{BASE}/subscription/{subscription_id}"), 404)


@pytest.mark.parametrize("unknown", ["nope", str(uuid.uuid4()), "x" * 300, "%F0%9F%98%80"])
def test_unsubscribing_an_unknown_id_is_a_404(client, unknown) -> None:
    body = assert_gms_error(client.delete(f"{BASE}/subscription/{unknown}"), 404)
    assert body["exception"] == "com.genesyslab.gsg.GSGException"


def test_gms_user_is_stored_but_never_checked(client, httpcb, target) -> None:
    response = post_json(
        client,
        "subscription",
        {
            "subscriberId": "s",
            "filter": "*",
            "notificationDetails": {"type": "httpcb", "deviceId": target.url},
        },
        gms_user="alice",
    )
    subscription_id = response.json()["id"]
    assert Subscription.objects.get(id=subscription_id).gms_user == "alice"
    response = client.delete(f"{BASE}/subscription/{subscription_id}", headers={"gms_user": "bob"})
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["subscription", "publish"])
@pytest.mark.parametrize(
    "content_type",
    [
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/jsonx",
        "application/json-patch+json",
        "*/*",
    ],
)
def test_anything_but_json_is_a_415(client, httpcb, path, content_type) -> None:
    body = json.dumps({"tag": "t", "message": "m"})
    if content_type is None:
        response = client.generic("POST", f"{BASE}/{path}", body, content_type="")
    else:
        response = client.post(f"{BASE}/{path}", body, content_type=content_type)
    assert_gms_error(response, 415)


@pytest.mark.parametrize("content_type", ["application/json", "Application/JSON; charset=utf-8"])
def test_media_type_case_and_parameters_are_ignored(client, httpcb, target, content_type) -> None:
    subscribe(client, target.url)
    body = json.dumps({"tag": "t", "message": "m"})
    response = client.post(f"{BASE}/publish", body, content_type=content_type)
    assert response.status_code == 200
    assert target.bodies() == ["m"]


VALID_DETAILS = {"type": "httpcb", "deviceId": "http://127.0.0.1/hook"}
VALID_SUBSCRIPTION = {"subscriberId": "s", "filter": "*", "notificationDetails": VALID_DETAILS}


def _without(body: dict, key: str) -> dict:
    return {name: value for name, value in body.items() if name != key}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (_without(VALID_SUBSCRIPTION, "subscriberId"), "subscriberId"),
        (_without(VALID_SUBSCRIPTION, "filter"), "filter"),
        (_without(VALID_SUBSCRIPTION, "notificationDetails"), "notificationDetails"),
        ({**VALID_SUBSCRIPTION, "subscriberId": ""}, "subscriberId"),
        ({**VALID_SUBSCRIPTION, "subscriberId": 5}, "subscriberId"),
        ({**VALID_SUBSCRIPTION, "filter": None}, "filter"),
        ({**VALID_SUBSCRIPTION, "filter": ""}, "filter"),
        ({**VALID_SUBSCRIPTION, "filter": ["*"]}, "filter"),
        ({**VALID_SUBSCRIPTION, "filter": "x" * 513}, "filter"),
        ({**VALID_SUBSCRIPTION, "notificationDetails": "httpcb"}, "notificationDetails"),
        ({**VALID_SUBSCRIPTION, "notificationDetails": {"type": "httpcb"}}, "deviceId"),
        ({**VALID_SUBSCRIPTION, "notificationDetails": {"deviceId": "d"}}, "type"),
        ({**VALID_SUBSCRIPTION, "notificationDetails": {**VALID_DETAILS, "type": "wns"}}, "type"),
        ({**VALID_SUBSCRIPTION, "notificationDetails": {**VALID_DETAILS, "type": 5}}, "type"),
        (
            {**VALID_SUBSCRIPTION, "notificationDetails": {**VALID_DETAILS, "deviceId": []}},
            "deviceId",
        ),
        (
            {
                **VALID_SUBSCRIPTION,
                "notificationDetails": {**VALID_DETAILS, "deviceId": "d" * 3000},
            },
            "deviceId",
        ),
        (
            {**VALID_SUBSCRIPTION, "notificationDetails": {**VALID_DETAILS, "properties": "x"}},
            "properties",
        ),
        (
            {
                **VALID_SUBSCRIPTION,
                "notificationDetails": {**VALID_DETAILS, "properties": {"a": {}}},
            },
            "properties",
        ),
        ({**VALID_SUBSCRIPTION, "expire": "60"}, "expire"),
        ({**VALID_SUBSCRIPTION, "expire": 60.5}, "expire"),
        ({**VALID_SUBSCRIPTION, "expire": True}, "expire"),
        ({**VALID_SUBSCRIPTION, "providerName": 7}, "providerName"),
        ({**VALID_SUBSCRIPTION, "subscriberId": "nul\u0000"}, "subscriberId"),
        ({**VALID_SUBSCRIPTION, "filter": "\ud800"}, "filter"),
        (
            {
                **VALID_SUBSCRIPTION,
                "notificationDetails": {**VALID_DETAILS, "properties": {"k\u0000": "v"}},
            },
            "properties",
        ),
        ({**VALID_SUBSCRIPTION, "notificationDetails": {**VALID_DETAILS, "type": "fcm"}}, "type"),
    ],
)
def test_a_bad_subscription_is_a_400_naming_the_field(client, httpcb, body, field) -> None:
    response = post_json(client, "subscription", body)
    assert field in assert_gms_error(response, 400, "com.genesyslab.gsg.GSGException")["message"]
    assert not Subscription.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": "m"}, "tag"),
        ({"tag": "t"}, "message"),
        ({"tag": "t", "message": 5}, "message"),
        ({"tag": "", "message": "m"}, "tag"),
        ({"tag": "t", "message": "m", "mediaType": "html"}, "mediaType"),
        ({"tag": "t", "message": "m\u0000"}, "message"),
        ({"tag": "t", "message": "\udfff"}, "message"),
        ({"tag": "t" * 513, "message": "m"}, "tag"),
        (
            {"tag": "t", "message": "m", "notificationDetails": {"type": "x", "deviceId": "d"}},
            "type",
        ),
        ({"tag": "t", "message": "m", "notificationDetails": []}, "notificationDetails"),
    ],
)
def test_a_bad_event_is_a_400_naming_the_field(client, httpcb, target, body, field) -> None:
    subscribe(client, target.url)
    assert field in assert_gms_error(post_json(client, "publish", body), 400)["message"]
    assert target.received == []


@pytest.mark.parametrize("path", ["subscription", "publish"])
@pytest.mark.parametrize(
    "raw",
    [
        "{",
        "[]",
        '"text"',
        "null",
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 50_000 + "1" + "}" * 50_000,
        '{"expire": ' + "9" * 5000 + "}",
        '{"tag": NaN, "message": "m"}',
        b"\xff\xfe{}",
    ],
)
def test_malformed_bodies_are_400s_never_500s(client, httpcb, path, raw) -> None:
    assert_gms_error(post_json(client, path, raw), 400)


@pytest.mark.parametrize("path", ["subscription", "publish"])
def test_an_empty_json_body_is_a_400(client, httpcb, path) -> None:
    response = client.generic("POST", f"{BASE}/{path}", b"", CONTENT_TYPE=DEMO_JSON)
    assert "required" in assert_gms_error(response, 400)["message"]


@pytest.mark.parametrize("path", ["subscription", "publish"])
def test_a_huge_body_is_refused_unread(client, httpcb, path) -> None:
    body = json.dumps({"tag": "t", "message": "x" * (1024 * 1024 + 1)})
    assert_gms_error(post_json(client, path, body), 413)


def test_a_large_message_within_the_limit_is_pushed(client, httpcb, target) -> None:
    subscribe(client, target.url)
    text = "é" * 400_000  # 800 kB as UTF-8
    body = json.dumps({"tag": "t", "message": text}, ensure_ascii=False)
    assert post_json(client, "publish", body).status_code == 200
    assert target.bodies() == [text]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "subscription"),
        ("put", "subscription"),
        ("get", "publish"),
        ("post", "subscription/x"),
    ],
)
def test_other_methods_are_405s(client, method, path) -> None:
    assert_gms_error(getattr(client, method)(f"{BASE}/{path}"), 405)


def test_basic_auth_in_the_notification_scope(client, configure, httpcb, target) -> None:
    configure(
        {
            "server": {"password": "server-secret"},
            "notification": {"username": "ors", "password": "n-secret"},
        }
    )
    body = {**VALID_SUBSCRIPTION, "notificationDetails": {"type": "httpcb", "deviceId": target.url}}
    assert_gms_error(post_json(client, "subscription", body), 401)
    assert_gms_error(
        post_json(client, "subscription", body, Authorization=basic("ors", "server-secret")), 401
    )
    assert_gms_error(client.delete(f"{BASE}/subscription/x"), 401)
    assert_gms_error(post_json(client, "publish", {"tag": "t", "message": "m"}), 401)
    response = post_json(client, "subscription", body, Authorization=basic("ors", "n-secret"))
    assert response.status_code == 200
    ok = post_json(
        client, "publish", {"tag": "t", "message": "m"}, Authorization=basic("ors", "n-secret")
    )
    assert ok.status_code == 200
    assert target.bodies() == ["m"]


def test_basic_auth_falls_back_to_the_server_section(client, configure, httpcb) -> None:
    configure({"server": {"password": "server-secret"}})
    assert_gms_error(post_json(client, "publish", {"tag": "t", "message": "m"}), 401)
    response = post_json(
        client, "publish", {"tag": "t", "message": "m"}, Authorization=basic("any", "server-secret")
    )
    assert response.status_code == 200


def test_auth_comes_before_the_content_type(client, configure) -> None:
    configure({"notification": {"password": "n-secret"}})
    assert_gms_error(client.post(f"{BASE}/publish", "x", content_type="text/plain"), 401)


def test_the_schema_documents_the_three_operations(client) -> None:
    response = client.get("/genesys/api/schema/?format=json")
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    operations = {
        operation["operationId"]
        for item in paths.values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert {
        "notification_subscribe",
        "notification_unsubscribe",
        "notification_publish",
    } <= operations
    subscribe_op = paths["/genesys/1/notification/subscription"]["post"]
    assert set(subscribe_op["requestBody"]["content"]) == {"application/json"}
    assert {"200", "400", "401", "415"} <= set(subscribe_op["responses"])


def test_port_restrictions_can_keep_publish_to_an_internal_port(client, configure, httpcb) -> None:
    """§1, our choice: no publisher check of our own; operators restrict the path by port."""
    configure(
        {"port_restrictions": {"/genesys/1/notification/publish": "9999", "/genesys/*": "80"}}
    )
    assert_gms_error(post_json(client, "publish", {"tag": "t", "message": "m"}), 403)
    response = post_json(client, "subscription", VALID_SUBSCRIPTION)
    assert response.status_code == 200
