"""Live events to sockets: one copy of an event per web process, one encoded frame for all of its sockets.

Publishers (services after commit, in any process: a request thread, a Dramatiq worker) call `publish(group, event)`.
The event is encoded to JSON once, and that text is the very frame the clients receive.
- Redis mode: PUBLISH on `<REALTIME_CHANNEL_PREFIX>:<group>`. Each web process holds one pub/sub connection,
  subscribed to exactly the groups that have sockets in that process, and hands every message to those sockets.
- Embedded mode (no Redis): handed to the server's event loop, which hands it to the sockets the same way.

Why not the channel layer for this: channels_redis's core layer stores a group message once per socket, and each
consumer decodes it and encodes its frame again; it loses a popped group message for every socket of a process when
a receive is cancelled (channels#1683), and keeps a receive buffer for every closed channel that is sent to later.

When the pub/sub connection breaks (Redis restarted or unreachable), messages may have been missed and Redis has
forgotten the subscriptions: every socket of the process is closed with 4012 (reconnect), so each client connects
again, joins its groups again and catches up (resume by seq, board refetch). A periodic check of Redis's run_id
catches a restart that the idle connection did not notice.
"""

import asyncio
import contextlib
import json
import logging
from functools import lru_cache
from typing import Any, Protocol

import redis
import redis.asyncio as aioredis
from django.conf import settings
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from apps.common import metrics

logger = logging.getLogger(__name__)

Event = dict[str, Any]

# Autobahn (Daphne's WebSocket stack) lets applications close only with 1000 or 3000-4999, so not 1012 itself.
CLOSE_RECONNECT = 4012


class Socket(Protocol):
    """What the fan-out needs of a consumer."""

    async def deliver(self, event: Event, text: str) -> bool: ...

    async def reconnect(self) -> None: ...


def encode(event: Event) -> str:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)


def channel_name(group: str) -> str:
    return f"{settings.REALTIME_CHANNEL_PREFIX}:{group}"


# --- publishing (any thread of any process) -----------------------------------------------------------------------


def publish(group: str, event: Event) -> None:
    """Send one event to every socket in `group`, in every web process. Raises when the transport fails."""
    text = encode(event)
    if settings.REDIS_URL:
        _publisher(settings.REDIS_URL).publish(channel_name(group), text)
        return
    loop = _server_loop
    if loop is not None and not loop.is_closed():
        loop.call_soon_threadsafe(_embedded_deliver, loop, group, text, event)


@lru_cache(maxsize=4)
def _publisher(url: str) -> redis.Redis:
    # A pooled, thread-safe client; a connection to a Redis that restarted fails once and is retried on a new one.
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=1,
        socket_timeout=2,
        health_check_interval=15,
        retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 2),
        retry_on_error=[redis.ConnectionError],
    )


_server_loop: asyncio.AbstractEventLoop | None = None


def remember_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    """Called by the consumer on connect: in embedded mode, the loop that holds this process's sockets."""
    global _server_loop
    _server_loop = loop


def _embedded_deliver(loop: asyncio.AbstractEventLoop, group: str, text: str, event: Event) -> None:
    local_fanout(loop).enqueue(group, text, event)


# --- receiving (the web process's event loop) ----------------------------------------------------------------------


class LocalFanout:
    """This process's sockets by group, and the one task that hands them what arrives, in order."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.members: dict[str, set[Socket]] = {}
        self._queue: asyncio.Queue[tuple[str, str, Event]] = asyncio.Queue()
        self._delivery: asyncio.Task | None = None
        self._redis: RedisSubscription | None = None

    async def join(self, group: str, socket: Socket) -> None:
        await self.join_many([group], socket)

    async def join_many(self, groups: list[str], socket: Socket) -> None:
        """Add the socket to every group; the groups new to this process are subscribed in one Redis command."""
        new = []
        for group in groups:
            members = self.members.setdefault(group, set())
            if not members:
                new.append(group)
            members.add(socket)
        if new and settings.REDIS_URL:
            try:
                await self._subscription().subscribe(*new)
            except BaseException:
                for group in groups:
                    self._discard(group, socket)
                raise
        self._ensure_delivery()

    async def leave(self, group: str, socket: Socket) -> None:
        if self._discard(group, socket) and self._redis is not None:
            await self._redis.unsubscribe(group)

    def leave_all(self, socket: Socket, groups: set[str]) -> None:
        """Forget a socket without talking to Redis (its connection is going away anyway)."""
        for group in groups:
            self._discard(group, socket)

    def _discard(self, group: str, socket: Socket) -> bool:
        """Remove the socket; True when the group has no socket left here."""
        members = self.members.get(group)
        if members is None:
            return False
        members.discard(socket)
        if members:
            return False
        del self.members[group]
        return True

    def sockets(self) -> set[Socket]:
        return {socket for members in self.members.values() for socket in members}

    def enqueue(self, group: str, text: str, event: Event) -> None:
        self._queue.put_nowait((group, text, event))
        self._ensure_delivery()

    def _ensure_delivery(self) -> None:
        if self._delivery is None or self._delivery.done():
            self._delivery = self.loop.create_task(self._deliver_forever(), name="realtime-fanout-delivery")

    async def _deliver_forever(self) -> None:
        while True:
            group, text, event = await self._queue.get()
            written = 0
            for socket in list(self.members.get(group, ())):
                try:
                    written += bool(await socket.deliver(event, text))
                except Exception:  # one socket's failure must not keep the frame from the others
                    logger.exception("delivering %s to a socket failed", event.get("type"))
            metrics.DELIVERIES.inc(written)  # once per event: a counter per frame would cost more than the frame

    def _subscription(self) -> "RedisSubscription":
        if self._redis is None or self._redis.closed:
            self._redis = RedisSubscription(self, settings.REDIS_URL)
        return self._redis

    async def aclose(self) -> None:
        """Stop this loop's fan-out before its loop closes: the Redis connection is closed first, so the reader ends
        on the closed connection rather than by a cancellation in the middle of a read (a cancelled redis-py read
        could leave a task that never finished, and the loop's shutdown waited on it for ever)."""
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None
        tasks = [task for task in (self._delivery,) if task is not None and not task.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=2)
        _fanouts.pop(self.loop, None)

    async def reconnect_all(self, why: str) -> None:
        """Redis may have dropped messages and forgotten the subscriptions: every socket reconnects and catches up."""
        sockets = self.sockets()
        logger.warning("channel Redis %s: asking %d sockets to reconnect", why, len(sockets))
        self._redis = None
        self.members.clear()  # sockets that connect again subscribe afresh
        for socket in sockets:
            with contextlib.suppress(Exception):
                await socket.reconnect()


class RedisSubscription:
    """One pub/sub connection of a web process, its reader task, and the check that Redis did not restart."""

    def __init__(self, fanout: LocalFanout, url: str):
        self.fanout = fanout
        self.client = aioredis.Redis.from_url(url, socket_connect_timeout=1, socket_keepalive=True)
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        self.prefix = f"{settings.REALTIME_CHANNEL_PREFIX}:"
        self.closed = False
        self._run_id: str | None = None
        self._tasks = [
            fanout.loop.create_task(self._read(), name="realtime-pubsub-reader"),
            fanout.loop.create_task(self._watch(), name="realtime-redis-watch"),
        ]

    async def subscribe(self, *groups: str) -> None:
        if self._run_id is None:
            self._run_id = await self._current_run_id()  # the Redis these subscriptions live in
        await self.pubsub.subscribe(*(channel_name(group) for group in groups))

    async def unsubscribe(self, group: str) -> None:
        if not self.closed:
            with contextlib.suppress(redis.RedisError):
                await self.pubsub.unsubscribe(channel_name(group))

    async def _read(self) -> None:
        try:
            while True:
                if not self.pubsub.subscribed:
                    await asyncio.sleep(0.05)
                    continue
                message = await self.pubsub.get_message(timeout=1.0)
                if message is None or message["type"] != "message":
                    continue
                group, text = message["channel"].decode()[len(self.prefix) :], message["data"].decode()
                self.fanout.enqueue(group, text, json.loads(text))
        except (redis.RedisError, OSError) as exc:
            await self._broken(f"connection broke ({exc})")

    async def _watch(self) -> None:
        interrupted = False
        while not self.closed:
            await asyncio.sleep(settings.REALTIME_REDIS_CHECK_SECONDS)
            try:
                run_id = await self._current_run_id()
            except (redis.RedisError, OSError):
                interrupted = True
                continue
            if interrupted or (self._run_id is not None and run_id != self._run_id):
                await self._broken("restarted" if run_id != self._run_id else "was unreachable")
                return

    async def aclose(self) -> None:
        if self.closed:
            return
        self.closed = True
        closing = asyncio.ensure_future(self._close_connections())
        await asyncio.wait([closing], timeout=2)
        pending = [task for task in self._tasks if not task.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=2)

    async def _close_connections(self) -> None:
        with contextlib.suppress(Exception):
            await self.pubsub.aclose()
        with contextlib.suppress(Exception):
            await self.client.aclose()

    async def _current_run_id(self) -> str:
        return (await self.client.info("server"))["run_id"]

    async def _broken(self, why: str) -> None:
        if self.closed:
            return
        self.closed = True
        for task in self._tasks:
            if task is not asyncio.current_task():
                task.cancel()
        await self.fanout.reconnect_all(why)
        with contextlib.suppress(Exception):
            await self.pubsub.aclose()
            await self.client.aclose()


_fanouts: dict[asyncio.AbstractEventLoop, LocalFanout] = {}


def local_fanout(loop: asyncio.AbstractEventLoop | None = None) -> LocalFanout:
    """The fan-out of the given (default: running) event loop: one per web process, one per test loop."""
    loop = loop or asyncio.get_running_loop()
    fanout = _fanouts.get(loop)
    if fanout is None:
        for stale in [other for other in _fanouts if other.is_closed()]:
            del _fanouts[stale]
        fanout = _fanouts[loop] = LocalFanout(loop)
    return fanout
