from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    """`/ws/`: the WebSocket consumer, its routing, and what it needs to fan events out to sockets."""

    name = "apps.realtime"
    label = "realtime"
