"""Push delivery: the providers, the pushEnabled gate and the retries (push.md §2, §5, §7)."""

import json
import logging
import socket
from unittest.mock import patch

import pytest
from kombu.exceptions import OperationalError

from apps.notification import delivery, tasks
from apps.notification.services import Push, queue


def test_httpcb_posts_the_bare_message_as_text(target) -> None:
    delivery.send("httpcb", target.url, "Agent available")
    [request] = target.received
    assert (request.path, request.body) == ("/hook", "Agent available")
    assert request.content_type == "text/plain;charset=utf-8"


@pytest.mark.parametrize("status", [201, 204, 302, 404, 500])
def test_httpcb_succeeds_only_on_200(target, status) -> None:
    """A redirect is a failure too, never followed."""
    target.statuses = [status]
    with pytest.raises(delivery.DeliveryError, match=str(status)):
        delivery.send("httpcb", target.url, "m")
    assert len(target.received) == 1


def test_unreachable_or_non_http_targets_fail() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    for url in (closed, "file:///etc/passwd", "not a url", ""):
        with pytest.raises(delivery.DeliveryError):
            delivery.send("httpcb", url, "m")


def test_a_channel_without_provider_fails() -> None:
    with pytest.raises(delivery.DeliveryError, match="no provider"):
        delivery.send("fcm", "token", "m")


def test_customhttp_posts_device_id_and_message_to_its_url(target, configure) -> None:
    with pytest.raises(delivery.DeliveryError, match=r"customhttp\.url"):
        delivery.send("customhttp", "crm-user-8812", "Agent available")
    target.statuses = [202]
    configure({"push": {"customhttp.url": target.url}})
    delivery.send("customhttp", "crm-user-8812", "Agent available")
    [request] = target.received
    assert request.content_type == "application/json"
    assert json.loads(request.body) == {"deviceId": "crm-user-8812", "message": "Agent available"}


@pytest.mark.parametrize(
    ("push", "enabled"),
    [
        (None, {"comet"}),  # the default since 8.5.103.10
        ({"pushEnabled": ""}, set()),
        ({"pushEnabled": " httpcb , COMET,wns"}, {"httpcb", "comet", "wns"}),
    ],
)
def test_push_enabled(db, push, enabled) -> None:
    assert delivery.enabled_channels(push) == enabled


@pytest.mark.parametrize("push", [None, {"pushEnabled": ""}, {"pushEnabled": "comet,fcm"}])
def test_nothing_is_sent_on_a_channel_push_enabled_leaves_out(
    db, configure, eager, target, push
) -> None:
    if push is not None:
        configure({"push": push})
    assert queue([Push("httpcb", target.url, "m")]) == 0
    assert target.received == []


def test_a_channel_without_provider_is_skipped_and_logged(db, configure, eager, caplog) -> None:
    configure({"push": {"pushEnabled": "fcm,ios"}})
    with caplog.at_level(logging.WARNING, logger="apps.notification.services"):
        assert queue([Push("fcm", "token", "m"), Push("ios", "token", "m")]) == 0
    assert caplog.text.count("no provider yet") == 2


def test_a_push_without_target_is_skipped_and_logged(db, configure, eager, caplog) -> None:
    configure({"push": {"pushEnabled": "httpcb"}})
    with caplog.at_level(logging.WARNING, logger="apps.notification.services"):
        assert queue([Push("httpcb", "", "m")]) == 0
    assert "skipped: no target" in caplog.text


def test_a_push_the_broker_refuses_is_logged_not_raised(db, configure, target, caplog) -> None:
    """push.md §7: delivery never fails the caller, not even when the broker is down."""
    configure({"push": {"pushEnabled": "httpcb"}})
    refused = OperationalError("broker down")
    with (
        patch.object(tasks.deliver, "delay", side_effect=refused),
        caplog.at_level(logging.ERROR, logger="apps.notification.services"),
    ):
        assert queue([Push("httpcb", target.url, "m"), Push("httpcb", target.url, "n")]) == 0
    assert caplog.text.count("not queued: broker down") == 2
    assert target.received == []


def test_a_failing_target_is_retried_5_then_15_seconds_later_then_dropped(
    db, configure, eager, target, caplog
) -> None:
    configure({"push": {"pushEnabled": "httpcb"}})
    target.statuses = [500, 503, 500, 500]
    with caplog.at_level(logging.INFO, logger="apps.notification.tasks"):
        assert queue([Push("httpcb", target.url, "hello", attempts=3)]) == 1
    assert target.bodies() == ["hello"] * 3
    assert "retrying in 5 s" in caplog.text
    assert "retrying in 15 s" in caplog.text
    assert "dropped after 3 attempt(s)" in caplog.text


def test_a_retry_that_succeeds_stops(db, configure, eager, target, caplog) -> None:
    configure({"push": {"pushEnabled": "httpcb"}})
    target.statuses = [500]
    with caplog.at_level(logging.INFO, logger="apps.notification.tasks"):
        queue([Push("httpcb", target.url, "hello", attempts=5)])
    assert target.bodies() == ["hello", "hello"]
    assert "dropped" not in caplog.text


def test_one_attempt_means_no_retry(db, configure, eager, target) -> None:
    configure({"push": {"pushEnabled": "httpcb"}})
    target.statuses = [500]
    queue([Push("httpcb", target.url, "hello", attempts=1)])
    assert len(target.received) == 1
