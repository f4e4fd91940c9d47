"""Which callback state changes notify whom (push.md §5.1, §8).

- **Status notifications**: a service with ``_enable_status_notification=true`` (or
  ``subscribe_notify``, as the Genesys QA suite sets it) announces its callbacks' state
  changes to ``_status_notification_target`` over ``_status_notification_type``
  (default ``httpcb``), with ``_status_notification_attempts`` attempts (default 3).
- **User pushes**: a callback created with ``_device_os`` and ``_device_notification_id``
  gets ``{"_id": ..., "_action": ...}`` on its device when an agent is ready for it, so
  the app fetches the action (push.md §8).

The settings are those the callback was created (or last rescheduled) with, kept in its
``options`` like its queue, so the state machine needs no configuration read to know a
callback nobody listens to. :func:`changed` builds the messages when the state is
written and queues them after the commit: a rolled-back change announces nothing, and
nothing is sent while the writer holds row locks. Channels must be listed in
``[push] pushEnabled``; one without a provider yet (``fcm``, ``gcm``, ``ios``...) is
logged and skipped (apps.notification.services).
"""

import json
from collections.abc import Iterable
from functools import partial
from urllib.parse import urlsplit

from django.db import transaction

from apps.callback.models import CANCELLATIONS, Callback, CallbackTransition, Reason, State
from apps.callback.options import STATUS_NOTIFICATION_ON
from apps.core.config import Options, check_bool, check_int, register_validator
from apps.core.times import format_utc
from apps.notification.services import Push, queue

# Event names, as the Genesys QA suite expects them in the body received at the target
# [TEST: Azhilin/Examples src/test/java/gms/callback/CallbackStateChangeNotifications.java].
SERVICE_CREATE = "_cbe_on_service_create"
CALLBACK_SCHEDULED = "_cbe_on_callback_scheduled"
CALLBACK_RESCHEDULED = "_cbe_on_callback_rescheduled"
CALLBACK_QUEUED = "_cbe_on_callback_queued"
CALLBACK_STATUS_UPDATED = "_cbe_on_callback_status_updated"
CALLBACK_CANCELLED = "_cbe_on_callback_cancelled"
CALLBACK_SUBMIT_FAILED = "_cbe_on_callback_submit_failed"
SERVICE_EXIT = "_cbe_on_service_exit"

# The push channels push.md §1 names (``_status_notification_type``, ``_device_os``).
CHANNELS = ("httpcb", "customhttp", "fcm", "gcm", "android", "ios", "orscb", "comet")

# User-push actions (push.md §8).
CONFIRMATION_DIALOG = "ConfirmationDialog"
DIAL_NUMBER = "DialNumber"


def status_events(from_state: str, to: str, reason: str) -> list[str]:
    """The events one change announces, in order; ``from_state`` "" = the creation.

    GMS's workflow emits its events itself; which of our state changes stands for which
    event is UNCONFIRMED. Our choice: creation -> ``_cbe_on_service_create`` then the
    first state's event; SCHEDULED -> ``_cbe_on_callback_scheduled`` (first time) or
    ``_cbe_on_callback_rescheduled``; QUEUED -> ``_cbe_on_callback_queued``; COMPLETED
    -> ``_cbe_on_callback_cancelled`` (CANCELLED, CANCELLED_BY_ADMIN) or
    ``_cbe_on_callback_submit_failed`` (SUBMIT_FAILED), then ``_cbe_on_service_exit``
    for every ending; PAUSED, ROUTING, PROCESSING -> ``_cbe_on_callback_status_updated``.
    """
    events = [] if from_state else [SERVICE_CREATE]
    if to == State.SCHEDULED:
        events.append(CALLBACK_RESCHEDULED if from_state else CALLBACK_SCHEDULED)
    elif to == State.QUEUED:
        events.append(CALLBACK_QUEUED)
    elif to == State.COMPLETED:
        if reason in CANCELLATIONS:
            events.append(CALLBACK_CANCELLED)
        elif reason == Reason.SUBMIT_FAILED:
            events.append(CALLBACK_SUBMIT_FAILED)
        events.append(SERVICE_EXIT)
    else:
        events.append(CALLBACK_STATUS_UPDATED)
    return events


def status_message(callback: Callback, event: str) -> str:
    """The body of a status notification (callback.md is silent: UNCONFIRMED).

    Our choice: a JSON object of strings, the callback's user data then ``_event``, the
    record's keys (``_id`` and, as the QA suite's ``notify_params`` name it,
    ``_service_id``), ``_callback_state`` and ``_callback_reason`` when set.
    """
    body = {
        **callback.user_data,
        "_event": event,
        "_id": callback.pk,
        "_service_id": callback.pk,
        "_service_name": callback.service_name,
        "_customer_number": callback.customer_number,
        "_desired_time": format_utc(callback.desired_time),
        "_urs_virtual_queue": callback.options.get("_urs_virtual_queue", ""),
        "_callback_state": callback.state,
    }
    if callback.reason:
        body["_callback_reason"] = callback.reason
    return json.dumps(body)


def user_action(callback: Callback) -> str | None:
    """The action pushed to the user's device for the state just entered, if any.

    push.md §8 says which payload, not when. Our choice: ``ConfirmationDialog`` when a
    callback created with ``_wait_for_user_confirm=true`` first enters ROUTING (an agent
    is ready for it); no push otherwise. A callback rejected and offered again, or
    dialled again after NO_ANSWER, does not push again: its transitions
    (CallbackTransition, this one included) tell the first entry. A USERORIGINATED
    callback gets ``DialNumber`` when it falls due (apps.callback.user_originated), not
    here: when it reaches ROUTING the customer is already on the line.
    """
    if callback.state != State.ROUTING:
        return None
    if callback.options.get("_call_direction") == "USERORIGINATED":
        return None
    if callback.options.get("_wait_for_user_confirm") != "true":
        return None
    entries = CallbackTransition.objects.filter(callback_id=callback.pk, to_state=State.ROUTING)
    return CONFIRMATION_DIALOG if entries.count() == 1 else None


def _pushes(callback: Callback, from_state: str) -> list[Push]:
    options = callback.options
    pushes = []
    target = options.get("_status_notification_target")
    if target:
        channel = options.get("_status_notification_type", "httpcb")
        attempts = int(options.get("_status_notification_attempts", "3"))
        pushes.extend(
            Push(channel, target, status_message(callback, event), attempts)
            for event in status_events(from_state, callback.state, callback.reason)
        )
    action = user_action(callback) if options.get("_device_notification_id") else None
    push = user_push(callback, action) if action else None
    if push:
        pushes.append(push)
    return pushes


def user_push(callback: Callback, action: str) -> Push | None:
    """``{"_id", "_action"}`` for the device the callback named (push.md §8); None when
    it named none."""
    device = callback.options.get("_device_notification_id")
    if not device:
        return None
    message = json.dumps({"_id": callback.pk, "_action": action}, separators=(",", ":"))
    return Push(callback.options.get("_device_os", ""), device, message)


def changed(callbacks: Iterable[Callback], *, from_state: str) -> None:
    """Called by the state machine once ``callbacks`` (read in ``from_state``) changed.

    Costs a dictionary lookup or two per callback nobody listens to.
    """
    pushes = [
        push
        for callback in callbacks
        if "_status_notification_target" in callback.options
        or "_device_notification_id" in callback.options
        for push in _pushes(callback, from_state)
    ]
    if pushes:
        transaction.on_commit(partial(queue, pushes), robust=True)


@register_validator("service:callback")
def validate_notification_options(name: str, options: Options) -> Iterable[tuple[str, str]]:
    """Save-time checks of the notification options (push.md §5.1)."""
    enable = options.get("_enable_status_notification", "").strip().lower()
    if enable not in ("", "false", *STATUS_NOTIFICATION_ON):
        yield "_enable_status_notification", "must be 'true', 'false' or 'subscribe_notify'"
    channel = options.get("_status_notification_type", "").strip().lower()
    if channel and channel not in CHANNELS:
        yield "_status_notification_type", f"must be one of {', '.join(CHANNELS)}"
    target = options.get("_status_notification_target", "").strip()
    if enable in STATUS_NOTIFICATION_ON and not target:
        yield "_status_notification_target", "is required when status notifications are on"
    if target and channel in ("", "httpcb") and urlsplit(target).scheme not in ("http", "https"):
        yield "_status_notification_target", "must be an http(s) URL for httpcb"
    yield from check_int(options, "_status_notification_attempts", minimum=1)
    yield from check_bool(options, "_wait_for_user_confirm")
