"""Reads of open media interactions: the row and the state of its contact-center work."""

from dataclasses import dataclass
from datetime import UTC, datetime

from apps.contactcenter import selectors as contactcenter
from apps.contactcenter.models import Interaction, InteractionState
from apps.openmedia import errors
from apps.openmedia.models import OpenMediaInteraction

SOURCE = "openmedia"
TENANT_ID = 1  # §3.2 interactionTenantId: our choice


class State:
    """``interactionState`` values (openmedia.md §2, our choice)."""

    QUEUED = "queued"
    PROCESSING = "processing"
    STOPPED = "stopped"


@dataclass(frozen=True)
class OpenMediaView:
    """An open media interaction with its contact-center work (None if never queued)."""

    record: OpenMediaInteraction
    work: Interaction | None

    @property
    def state(self) -> str:
        """queued while waiting or offered, processing while an agent holds it, stopped once
        the client stopped it or the contact center ended it (completed or abandoned)."""
        if self.record.stopped_at is not None or self.work is None:
            return State.STOPPED
        if self.work.state in (InteractionState.QUEUED, InteractionState.OFFERED):
            return State.QUEUED
        if self.work.state == InteractionState.ACCEPTED:
            return State.PROCESSING
        return State.STOPPED


def work_of(interaction_id: str) -> Interaction | None:
    return contactcenter.find_by_source(source=SOURCE, source_id=interaction_id)


def get_open_media(interaction_id: str) -> OpenMediaView:
    """The interaction and its work; 404 (code 107) for an unknown id."""
    record = OpenMediaInteraction.objects.filter(interaction_id=interaction_id).first()
    if record is None:
        raise errors.interaction_not_found(interaction_id)
    return OpenMediaView(record=record, work=work_of(interaction_id))


def _timestamp(value: datetime | None) -> str | None:
    """§3.2: ``yyyy-MM-ddTHH:mm:ssZ``, UTC, no fraction."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def properties(view: OpenMediaView) -> dict[str, object]:
    """The ``properties`` object of a get answer (§3.2), field names as a production client
    decodes them. ``interactionPlaceInQueueSeq`` is the contact center's number of the
    queued work (our choice: its own global counter, taken when the work was queued);
    ``interactionMovedToQueueAt`` equals ``interactionPlacedInQueueAt``, as the work is
    never moved between queues."""
    record, work = view.record, view.work
    state = view.state
    queued_at = _timestamp(work.queued_at) if work else None
    return {
        "interactionId": record.interaction_id,
        "interactionType": record.interaction_type,
        "interactionSubtype": record.interaction_subtype,
        "interactionMediatype": record.media_type,
        "interactionState": state,
        "interactionQueue": record.queue,
        "interactionTenantId": TENANT_ID,
        "interactionSubmittedBy": record.service_name,
        "interactionReceivedAt": _timestamp(record.received_at),
        "interactionSubmittedAt": _timestamp(record.received_at),
        "interactionPlacedInQueueAt": queued_at,
        "interactionMovedToQueueAt": queued_at,
        "interactionSubmitSeq": record.pk,
        "interactionPlaceInQueueSeq": work.pk if work else None,
        "interactionIsHeld": False,
        "interactionIsLocked": state == State.PROCESSING,
        "interactionIsOnline": False,
        "interactionUserData": [
            {"key": key, "type": "str", "value": value} for key, value in record.user_data.items()
        ],
    }
