"""WebSocket routes of all apps, mounted by taskflow.asgi."""

from apps.realtime.routing import websocket_urlpatterns as realtime_patterns

websocket_urlpatterns = [*realtime_patterns]
