"""The desk's doorbell: ``/desk/ws`` forwards the agent's realtime events to the page.

A thin shell over :mod:`apps.contactcenter.realtime`: it admits signed-in agents,
joins their ``agent.<user id>`` group and passes each event on as JSON. The page
reloads its state from the agent API on every event, so nothing here is state.

Refusals accept the socket first, then close it with a code the page can read
(a socket closed before its handshake only shows the browser code 1006):
4401 not signed in (go to the sign-in page), 4403 signed in but not an agent.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.contactcenter.realtime import agent_group
from apps.contactcenter.selectors import is_agent

NOT_SIGNED_IN = 4401
NOT_AN_AGENT = 4403


class DeskConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse(NOT_SIGNED_IN)
        elif not await database_sync_to_async(is_agent)(user):
            await self.refuse(NOT_AN_AGENT)
        else:
            # Join before accepting: once the page hears "open" and reloads, no event is missed.
            self.group = agent_group(user.pk)
            await self.channel_layer.group_add(self.group, self.channel_name)
            await self.accept()

    async def refuse(self, code: int) -> None:
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def agent_event(self, message: dict) -> None:
        await self.send_json(message["event"])
