from django.urls import path

from apps.notifications.consumers import NotificationConsumer

websocket_urlpatterns = [path("ws/", NotificationConsumer.as_asgi())]
