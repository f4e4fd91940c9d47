"""WebSocket routes of the desk, for ``gms.routing`` (behind the session auth middleware)."""

from django.urls import path

from apps.desk.consumers import DeskConsumer

websocket_urlpatterns = [
    path("desk/ws", DeskConsumer.as_asgi()),
]
