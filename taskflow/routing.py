"""WebSocket routes of all apps, mounted under /ws/ by taskflow.asgi."""

websocket_urlpatterns: list = []
