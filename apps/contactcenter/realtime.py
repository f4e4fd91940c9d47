"""The doorbell of the contact center: after a commit, tell agents' desks and queue watchers.

The database stays the source of truth; a lost message costs a desk one refresh
(``GET /api/agent/offers``), never data. So a missing or failing channel layer is
logged and ignored: it never breaks the request or the routing that caused it.

Messages (consumers get ``type`` dispatched to a method, e.g. ``agent_event``):

* group ``agent.<user id>``: ``{"type": "agent.event", "event": event}`` where
  event is ``{"kind": <interaction event kind>, "at": ts, "interaction": {...}}``
  for work offered to, taken back from, accepted or completed by this agent, or
  ``{"kind": "state", "at": ts, "reason": ..., "agent": {...}}`` when the agent's
  state changes;
* group ``queue.<queue id>``: ``{"type": "queue.event", "event": {"kind": ...,
  "at": ts, "queue": name, "interaction": id, "state": state}}`` for every
  interaction state change in that queue.

Services fill an :class:`Outbox` during their transaction and send it after
the commit; :func:`publish` is the one way out to the channel layer. The
messages of one transaction go out together, in order, in one
``async_to_sync`` call: under the ASGI server that call runs on the server's
own loop (in-memory layer and Redis pool included), elsewhere each call costs
a fresh loop and, with Redis, a fresh connection (about 4 ms), once per commit.
"""

import logging
from dataclasses import dataclass, field

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from apps.contactcenter import selectors
from apps.contactcenter.models import AgentProfile
from apps.contactcenter.serializers import AgentStatusSerializer

logger = logging.getLogger(__name__)


def agent_group(user_id: int) -> str:
    return f"agent.{user_id}"


def queue_group(queue_id: int) -> str:
    return f"queue.{queue_id}"


@dataclass
class Outbox:
    """The messages of one transaction, sent by :meth:`send` once it has committed.

    Each entry is (group, message, agent id whose state to add at sending time).
    """

    messages: list[tuple[str, dict, int | None]] = field(default_factory=list)

    def to_agent(self, user_id: int, event: dict) -> None:
        self.messages.append((agent_group(user_id), {"type": "agent.event", "event": event}, None))

    def to_queue(self, queue_id: int, event: dict) -> None:
        self.messages.append((queue_group(queue_id), {"type": "queue.event", "event": event}, None))

    def agent_state(self, agent: AgentProfile, event: dict) -> None:
        """A state change; the agent itself is read after the commit (BUSY depends on load)."""
        message = {"type": "agent.event", "event": event}
        self.messages.append((agent_group(agent.user_id), message, agent.pk))

    def send(self) -> None:
        ready = []
        for group, message, agent_id in self.messages:
            if agent_id is not None:
                status = selectors.agent_status(AgentProfile(pk=agent_id))
                message["event"]["agent"] = dict(AgentStatusSerializer(status).data)
            ready.append((group, message))
        if ready:
            publish(ready)


def publish(messages: list[tuple[str, dict]]) -> None:
    """``group_send`` each (group, message) in order; the one way out to the channel layer."""
    layer = get_channel_layer()
    if layer is None:
        return

    async def send_all() -> None:
        for group, message in messages:
            await layer.group_send(group, message)

    try:
        async_to_sync(send_all)()
    except Exception:  # a doorbell that fails must not undo committed work
        logger.warning("Could not publish %d realtime message(s)", len(messages), exc_info=True)
