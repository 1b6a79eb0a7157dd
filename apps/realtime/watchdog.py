"""One task per web process that keeps the process's sockets from going deaf on the Redis channel layer.

Redis holds the layer's group memberships. Two things make a socket that stays open silently stop hearing its groups:
- Redis restarts (or is unreachable for a while): the memberships are forgotten and what was published meanwhile is
  gone. The watchdog notices a new Redis `run_id`, or a check that failed, and closes every socket of the process
  with 4012 (reconnect): each client reconnects, joins its groups again and catches up (resume by seq for
  notifications, a board refetch for tasks).
- Memberships expire after the layer's `group_expiry` (a day by default): the watchdog adds each socket to its groups
  again every half of it.

The in-memory layer (embedded mode) needs none of this, and there the watchdog never starts.
"""

import asyncio
import logging
import time
import weakref

from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.conf import settings

logger = logging.getLogger(__name__)

# Autobahn (Daphne's WebSocket stack) lets applications close only with 1000 or 3000-4999, so not 1012 itself.
CLOSE_RECONNECT = 4012


class RedisWatchdog:
    def __init__(self) -> None:
        self.sockets: weakref.WeakSet = weakref.WeakSet()
        self.task: asyncio.Task | None = None

    def watch(self, consumer) -> None:
        """Called by a consumer once it has joined its groups."""
        layer = get_channel_layer()
        if not isinstance(layer, RedisChannelLayer):
            return
        self.sockets.add(consumer)
        loop = asyncio.get_running_loop()
        if self.task is None or self.task.done() or self.task.get_loop() is not loop:
            self.task = loop.create_task(self._run(layer), name="realtime-redis-watchdog")

    def forget(self, consumer) -> None:
        self.sockets.discard(consumer)

    async def _run(self, layer: RedisChannelLayer) -> None:
        # Each check stands alone: nothing a check meets may end the watchdog.
        known: list[str] | None = None
        interrupted = False
        rejoined_at = time.monotonic()
        while True:
            await asyncio.sleep(settings.REALTIME_REDIS_CHECK_SECONDS)
            try:
                run_ids = [(await layer.connection(i).info("server"))["run_id"] for i in range(layer.ring_size)]
            except Exception as exc:  # any failure to reach Redis: its memberships may be gone when it is back
                if not interrupted:
                    logger.warning("channel layer Redis unreachable (%s); sockets reconnect when it is back", exc)
                interrupted = True
                continue
            if known is not None and (interrupted or run_ids != known):
                await self._reconnect_all("restarted" if run_ids != known else "was unreachable")
            known, interrupted = run_ids, False
            if time.monotonic() - rejoined_at > layer.group_expiry / 2:
                rejoined_at = time.monotonic()
                await self._each_socket("rejoin_groups")

    async def _reconnect_all(self, what: str) -> None:
        logger.warning("channel layer Redis %s: asking %d sockets to reconnect", what, len(self.sockets))
        await self._each_socket("reconnect")

    async def _each_socket(self, method: str) -> None:
        for consumer in list(self.sockets):
            try:
                await getattr(consumer, method)()
            except Exception:  # one socket's failure (closing meanwhile, Redis gone again) must not stop the rest
                logger.debug("%s failed for a socket", method, exc_info=True)


watchdog = RedisWatchdog()
