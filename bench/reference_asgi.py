"""The stock reference of bench/realtime.py: a bare Channels consumer in one group on RedisChannelLayer.

    daphne bench.reference_asgi:application

It uses TaskFlow's settings only for the channel layer (the same RedisChannelLayer, Redis and socket timeout); no
authentication, no database. Events are sent with `group_send("bench", {"type": "bench.event", "event": {...}})`.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskflow.settings")
django.setup()

from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

GROUP = "bench"


class StockConsumer(AsyncJsonWebsocketConsumer):
    groups = [GROUP]  # joined by Channels itself before connect()

    async def connect(self) -> None:
        await self.accept()
        await self.send_json({"type": "ready"})

    async def bench_event(self, message: dict) -> None:
        await self.send_json(message["event"])


application = ProtocolTypeRouter({"websocket": URLRouter([path("ws/", StockConsumer.as_asgi())])})
