"""WebSocket routes of all apps, mounted by taskflow.asgi."""

from apps.notifications.routing import websocket_urlpatterns as notification_patterns

websocket_urlpatterns = [*notification_patterns]
