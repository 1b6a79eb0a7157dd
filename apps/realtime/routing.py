from django.urls import path

from apps.realtime.consumers import NotificationConsumer

websocket_urlpatterns = [path("ws/", NotificationConsumer.as_asgi())]
