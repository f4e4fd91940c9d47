"""enqueue_many: many pieces of work in one transaction, each as enqueue would queue it."""

from unittest.mock import patch

import pytest
from django.utils import timezone

from apps.contactcenter import services
from apps.contactcenter.models import EventKind, Interaction, InteractionEvent, QueueStats
from apps.contactcenter.services import NewWork
from apps.core.errors import BadRequest


def _stats(queue: str) -> tuple[int, int]:
    stats = QueueStats.objects.get(queue__name=queue)
    return stats.waiting, stats.entered


def test_each_piece_is_queued_with_its_event_and_counters(db) -> None:
    now = timezone.now()
    work = [
        NewWork(media="callback", queue_name="VQ_A", source="callback", source_id="cb-1"),
        NewWork(media="chat", queue_name="VQ_B", priority=5, user_data={"k": "v"}),
        NewWork(media="callback", queue_name="VQ_A", source="callback", source_id="cb-2"),
    ]
    queued = services.enqueue_many(work=work, now=now)
    assert all(isinstance(interaction, Interaction) for interaction in queued)
    assert [(i.media, i.queue.name, i.priority, i.source_id) for i in queued] == [
        ("callback", "VQ_A", 0, "cb-1"),
        ("chat", "VQ_B", 5, ""),
        ("callback", "VQ_A", 0, "cb-2"),
    ]
    stored = Interaction.objects.get(pk=queued[1].pk)
    assert (stored.state, stored.user_data, stored.queued_at) == ("queued", {"k": "v"}, now)
    events = InteractionEvent.objects.filter(interaction__in=queued).order_by("interaction")
    assert [(e.interaction_id, e.kind, e.details) for e in events] == [
        (queued[0].pk, EventKind.QUEUED, {"priority": 0}),
        (queued[1].pk, EventKind.QUEUED, {"priority": 5}),
        (queued[2].pk, EventKind.QUEUED, {"priority": 0}),
    ]
    assert _stats("VQ_A") == (2, 2)
    assert _stats("VQ_B") == (1, 1)


def test_a_refused_piece_takes_nothing_from_the_others(db) -> None:
    work = [
        NewWork(media="fax", queue_name="VQ_A"),
        NewWork(media="chat", queue_name="VQ_A"),
        NewWork(media="chat", queue_name="x" * 300),
        NewWork(media="chat", queue_name="VQ_A", priority=2**31),
        NewWork(media="chat", queue_name="VQ_A", user_data={"k": "a\x00b"}),
    ]
    results = services.enqueue_many(work=work)
    assert [type(result) for result in results] == [
        BadRequest,
        Interaction,
        BadRequest,
        BadRequest,
        BadRequest,
    ]
    assert "Unknown media" in results[0].message
    assert Interaction.objects.count() == 1
    assert _stats("VQ_A") == (1, 1)


def test_enqueue_still_raises_what_it_refuses(db) -> None:
    with pytest.raises(BadRequest, match="queue name"):
        services.enqueue(media="chat", queue_name="")
    assert not Interaction.objects.exists()


def test_each_queue_is_told_and_routed_once_after_the_commit(
    db, django_capture_on_commit_callbacks
) -> None:
    work = [NewWork(media="chat", queue_name=name) for name in ("VQ_A", "VQ_B", "VQ_A")]
    with (
        patch("apps.contactcenter.realtime.publish") as publish,
        patch.object(services, "route") as route,
        django_capture_on_commit_callbacks(execute=True),
    ):
        queued = services.enqueue_many(work=work)
        publish.assert_not_called()
        route.assert_not_called()
    assert sorted(call.kwargs["queue_name"] for call in route.call_args_list) == ["VQ_A", "VQ_B"]
    sent = [message for call in publish.call_args_list for message in call.args[0]]
    assert sorted((group, message["event"]["interaction"]) for group, message in sent) == sorted(
        (f"queue.{interaction.queue_id}", interaction.pk) for interaction in queued
    )
    assert {message["event"]["kind"] for _, message in sent} == {EventKind.QUEUED}
