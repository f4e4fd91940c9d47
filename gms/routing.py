"""WebSocket routes. The CometD/Bayeux stream (chat) and the agent desk plug in here."""

from apps.desk.routing import websocket_urlpatterns as desk_routes

websocket_urlpatterns: list = [*desk_routes]
