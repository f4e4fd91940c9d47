"""Every write of the Open Media API: create, update user data, stop (openmedia.md §3).

An interaction is one :class:`OpenMediaInteraction` row plus one contact-center
interaction of media ``openmedia`` queued in the service's ``queue`` option, both made in
one transaction. The agent sees the user data as they were when the work was queued, and
the types under the reserved keys :data:`DESK_KEYS` (the desk's open media panel).

Stop (our choice, §3.4): work still queued or offered leaves the queue (the contact
center abandons it, freeing an offered agent's slot, reason kept); work an agent has
accepted stays with that agent, who completes it as usual; the interaction is
``stopped`` from the client's point of view at once either way.
"""

from collections.abc import Mapping
from contextlib import suppress
from datetime import datetime

from django.db import transaction

from apps.contactcenter import services as contactcenter
from apps.contactcenter.models import InteractionState
from apps.core.errors import BadRequest
from apps.core.text import is_storable_text
from apps.openmedia import errors, selectors
from apps.openmedia.models import MAX_TEXT_LENGTH, OpenMediaInteraction
from apps.openmedia.options import OVERWRITABLE, ServiceOptions

USER_DATA = "userData"
EXTERNAL_ID = "externalId"
# GMS copies externalId into user data under this key ([DOC]).
EXTERNAL_ID_KEY = "ExternalId"
# Create fields that are not user data when sent bare (§3.1).
RESERVED = frozenset({USER_DATA, EXTERNAL_ID, "serviceName", *OVERWRITABLE.values()})
# What the desk's panel reads from the contact-center interaction's user data.
DESK_KEYS = {
    "interactionId": "_openMediaId",
    "interactionType": "_interactionType",
    "interactionSubType": "_interactionSubType",
    "mediaType": "_mediaType",
}
MAX_VALUE_LENGTH = 64 * 1024
MAX_KEYS = 500
SCALARS = (str, int, float, bool)


def _text(name: str, value: object, limit: int = MAX_VALUE_LENGTH) -> str:
    """A field's value as stored text: a string or a JSON scalar; 400 otherwise."""
    if value is None:
        return ""
    if not isinstance(value, SCALARS):
        raise BadRequest(f"'{name}' must be text, not {type(value).__name__}")
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if len(text) > limit or not is_storable_text(text):
        raise BadRequest(f"'{name}' holds at most {limit} storable characters (no NUL)")
    return text


def _user_data(given: object) -> dict[str, str]:
    """``userData`` (from ``userData[key]`` fields or a JSON object) as text by key; 400 if
    it is not an object of scalars."""
    if given is None:
        return {}
    if not isinstance(given, Mapping):
        raise BadRequest(f"'{USER_DATA}' must be an object of key/value pairs")
    if len(given) > MAX_KEYS:
        raise BadRequest(f"At most {MAX_KEYS} user data keys")
    data = {}
    for key, value in given.items():
        key = _text(f"{USER_DATA} key", key, MAX_TEXT_LENGTH)
        if not key:
            raise BadRequest(f"A '{USER_DATA}' key cannot be empty")
        data[key] = _text(f"{USER_DATA}[{key}]", value)
    return data


def create(
    *, options: ServiceOptions, params: Mapping[str, object], now: datetime
) -> OpenMediaInteraction:
    """§3.1. Bare fields other than the reserved ones become user data under their own
    name (our choice); ``userData[key]`` wins over a bare field of the same name, and
    ``externalId`` is copied to ``ExternalId``. Request types are honoured only with
    ``allow_overwrite=true``; the media type must be in ``allowed_media_types`` when
    that is set (400, code 103). No ``queue`` configured: 503, code 100."""
    bare = {key: value for key, value in params.items() if key not in RESERVED}
    user_data = _user_data(bare) | _user_data(params.get(USER_DATA))
    external_id = _text(EXTERNAL_ID, params.get(EXTERNAL_ID), MAX_TEXT_LENGTH)
    if external_id:
        user_data[EXTERNAL_ID_KEY] = external_id
    if len(user_data) > MAX_KEYS:
        raise BadRequest(f"At most {MAX_KEYS} user data keys")
    types = {}
    for option, field in OVERWRITABLE.items():
        requested = _text(field, params.get(field), MAX_TEXT_LENGTH)
        configured = getattr(options, option)
        types[option] = requested if options.allow_overwrite and requested else configured
    if options.allowed_media_types and types["media_type"] not in options.allowed_media_types:
        raise errors.invalid_value("mediaType")
    if not options.queue:
        raise errors.unavailable()
    with transaction.atomic():
        record = OpenMediaInteraction.objects.create(
            service_name=options.name,
            external_id=external_id,
            queue=options.queue,
            tenant=options.tenant,
            user_data=user_data,
            received_at=now,
            **types,
        )
        desk_values = {
            "interactionId": record.interaction_id,
            "interactionType": record.interaction_type,
            "interactionSubType": record.interaction_subtype,
            "mediaType": record.media_type,
        }
        contactcenter.enqueue(
            media="openmedia",
            queue_name=options.queue,
            user_data=user_data | {DESK_KEYS[name]: value for name, value in desk_values.items()},
            source=selectors.SOURCE,
            source_id=record.interaction_id,
            now=now,
        )
    return record


def update_user_data(*, interaction_id: str, params: Mapping[str, object]) -> None:
    """§3.3: upsert the given ``userData`` keys; other keys are kept. Stopped: 400, code 108."""
    updates = _user_data(params.get(USER_DATA))
    with transaction.atomic():
        view = selectors.OpenMediaView(
            record=_locked(interaction_id), work=selectors.work_of(interaction_id)
        )
        if view.state == selectors.State.STOPPED:
            raise errors.interaction_stopped()
        _merge(view.record, updates)


def stop(
    *, interaction_id: str, params: Mapping[str, object], now: datetime
) -> OpenMediaInteraction:
    """§3.4: attach ``userData``, record ``reason`` and stop; idempotent once stopped.

    The contact center's locks come first (its abandon locks agent and work), then this
    row: the order the contact center's own writes take, so the two never deadlock.
    """
    reason = _text("reason", params.get("reason"), MAX_TEXT_LENGTH)
    updates = _user_data(params.get(USER_DATA))
    with transaction.atomic():
        view = selectors.get_open_media(interaction_id)
        if view.state == selectors.State.STOPPED:
            return view.record
        work = view.work
        if work is not None and work.state in (InteractionState.QUEUED, InteractionState.OFFERED):
            # Accepted meanwhile (409): it stays with its agent.
            with suppress(contactcenter.InvalidTransition):
                contactcenter.abandon(interaction=work, reason=reason or "stopped", now=now)
        record = _locked(interaction_id)
        if record.stopped_at is not None:  # a concurrent stop won
            return record
        record.stopped_at, record.stop_reason = now, reason
        record.save(update_fields=["stopped_at", "stop_reason"])
        _merge(record, updates)
    return record


def _locked(interaction_id: str) -> OpenMediaInteraction:
    record = (
        OpenMediaInteraction.objects.select_for_update()
        .filter(interaction_id=interaction_id)
        .first()
    )
    if record is None:
        raise errors.interaction_not_found(interaction_id)
    return record


def _merge(record: OpenMediaInteraction, updates: Mapping[str, str]) -> None:
    if not updates:
        return
    user_data = {**record.user_data, **updates}
    if len(user_data) > MAX_KEYS:
        raise BadRequest(f"At most {MAX_KEYS} user data keys")
    OpenMediaInteraction.objects.filter(pk=record.pk).update(user_data=user_data)
    record.user_data = user_data
