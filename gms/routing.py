"""WebSocket routes. The CometD/Bayeux stream (chat) and the agent desk plug in here."""

websocket_urlpatterns: list = []
