"""Presence: who has a project open, and who is editing which task (API.md, `presence` frames).

Transient by design: nothing is written to the database. Each socket announces `{"type": "presence", "project",
"editing"}` on opening and at least every 20 s; its entry lives PRESENCE_TTL_SECONDS after the last announcement.
- Redis mode: per project a sorted set (socket -> expiry time) and a hash (socket -> who and what they edit), shared
  by every web process; both keys expire on their own when a project goes quiet.
- Embedded mode: the same in this process's memory.
A socket is present in one project at a time (the one its page shows). A closed socket leaves at once; a crashed tab
(or a web process that died with its sockets) stops announcing and expires, and the sweep of each web process that
has sockets in that project notices it within PRESENCE_SWEEP_SECONDS.

The project group gets a `presence` frame whenever the set changes. The last frame sent per project is remembered
(in Redis across processes), so an unchanged set sends nothing, whichever process looks.
"""

import asyncio
import json
import logging
import time
from typing import Any

import redis
import redis.asyncio as aioredis
from django.conf import settings

from apps.common.events import project_group
from apps.realtime.fanout import channel_name, encode, local_fanout

logger = logging.getLogger(__name__)


def frame_for(project_id: int, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """The `presence` frame of a project from its live entries ({"user": {id, username}, "editing": id|None})."""
    users: dict[int, dict] = {}
    editing: dict[str, dict[int, dict]] = {}
    for entry in entries:
        user = entry["user"]
        users.setdefault(user["id"], user)
        if entry.get("editing") is not None:
            editing.setdefault(str(entry["editing"]), {}).setdefault(user["id"], user)

    def by_name(found: dict[int, dict]) -> list[dict]:
        return sorted(found.values(), key=lambda user: (user["username"].lower(), user["id"]))

    return {
        "type": "presence",
        "project": project_id,
        "users": by_name(users),
        "editing": {task_id: by_name(found) for task_id, found in sorted(editing.items(), key=lambda kv: int(kv[0]))},
    }


class MemoryStore:
    """Embedded mode: this process's sockets are all there is."""

    def __init__(self) -> None:
        self.entries: dict[int, dict[str, tuple[float, dict]]] = {}
        self.last_sent: dict[int, str] = {}

    async def put(self, project_id: int, socket_id: str, entry: dict, ttl: float) -> None:
        self.entries.setdefault(project_id, {})[socket_id] = (time.monotonic() + ttl, entry)

    async def remove(self, project_id: int, socket_id: str) -> None:
        self.entries.get(project_id, {}).pop(socket_id, None)

    async def live(self, project_id: int) -> list[dict]:
        now = time.monotonic()
        entries = self.entries.get(project_id, {})
        for socket_id in [key for key, (expires, _) in entries.items() if expires <= now]:
            del entries[socket_id]
        if not entries:
            self.entries.pop(project_id, None)
        return [entry for _, entry in entries.values()]

    async def swap_last_sent(self, project_id: int, text: str) -> str | None:
        old, self.last_sent[project_id] = self.last_sent.get(project_id), text
        return old

    async def send(self, project_id: int, text: str, frame: dict) -> None:
        local_fanout().enqueue(project_group(project_id), text, frame)


class RedisStore:
    """Redis mode: shared by every web process."""

    def __init__(self, url: str) -> None:
        self.client = aioredis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        self.prefix = f"{settings.REALTIME_CHANNEL_PREFIX}:presence"

    def _keys(self, project_id: int) -> tuple[str, str, str]:
        base = f"{self.prefix}:{project_id}"
        return f"{base}:expiry", f"{base}:who", f"{base}:sent"

    async def put(self, project_id: int, socket_id: str, entry: dict, ttl: float) -> None:
        expiry, who, _ = self._keys(project_id)
        keep = int(ttl * 2) + 1  # the keys outlive their newest entry, then vanish with a quiet project
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zadd(expiry, {socket_id: time.time() + ttl})
            pipe.hset(who, socket_id, json.dumps(entry))
            pipe.expire(expiry, keep)
            pipe.expire(who, keep)
            await pipe.execute()

    async def remove(self, project_id: int, socket_id: str) -> None:
        expiry, who, _ = self._keys(project_id)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zrem(expiry, socket_id)
            pipe.hdel(who, socket_id)
            await pipe.execute()

    async def live(self, project_id: int) -> list[dict]:
        expiry, who, _ = self._keys(project_id)
        now = time.time()
        expired = await self.client.zrangebyscore(expiry, "-inf", now)
        if expired:
            async with self.client.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(expiry, "-inf", now)
                pipe.hdel(who, *expired)
                await pipe.execute()
        socket_ids = await self.client.zrange(expiry, 0, -1)
        if not socket_ids:
            return []
        return [json.loads(raw) for raw in await self.client.hmget(who, socket_ids) if raw is not None]

    async def swap_last_sent(self, project_id: int, text: str) -> str | None:
        _, _, sent = self._keys(project_id)
        old = await self.client.set(sent, text, get=True, ex=int(settings.PRESENCE_TTL_SECONDS * 4) + 1)
        return old.decode() if isinstance(old, bytes) else old

    async def send(self, project_id: int, text: str, frame: dict) -> None:
        await self.client.publish(channel_name(project_group(project_id)), text)


class Presence:
    """The presence of this event loop's sockets (one per web process), and its sweep."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.store = RedisStore(settings.REDIS_URL) if settings.REDIS_URL else MemoryStore()
        self.where: dict[str, int] = {}  # socket id -> the project it is present in
        self.local: dict[int, set[str]] = {}  # project -> this process's sockets present there
        self._sweep: asyncio.Task | None = None

    async def announce(self, *, socket_id: str, user: dict, project_id: int, editing: int | None) -> dict | None:
        """Record (or refresh) a socket's presence. Returns the project's frame when this socket should be told it
        directly (the group was not sent one because nothing changed for the others)."""
        previous = self.where.get(socket_id)
        if previous is not None and previous != project_id:
            await self.leave(socket_id=socket_id)
        self.where[socket_id] = project_id
        self.local.setdefault(project_id, set()).add(socket_id)
        await self.store.put(project_id, socket_id, {"user": user, "editing": editing}, settings.PRESENCE_TTL_SECONDS)
        self._ensure_sweep()
        frame, sent = await self.refresh(project_id)
        return None if sent or previous == project_id else frame

    async def leave(self, *, socket_id: str) -> None:
        project_id = self.where.pop(socket_id, None)
        if project_id is None:
            return
        sockets = self.local.get(project_id, set())
        sockets.discard(socket_id)
        if not sockets:
            self.local.pop(project_id, None)
        await self.store.remove(project_id, socket_id)
        await self.refresh(project_id)

    async def refresh(self, project_id: int) -> tuple[dict, bool]:
        """Send the project's frame to its group if it differs from the last one sent; returns (frame, sent)."""
        frame = frame_for(project_id, await self.store.live(project_id))
        text = encode(frame)
        if await self.store.swap_last_sent(project_id, text) == text:
            return frame, False
        await self.store.send(project_id, text, frame)
        return frame, True

    def _ensure_sweep(self) -> None:
        if self._sweep is None or self._sweep.done():
            self._sweep = self.loop.create_task(self._sweep_forever(), name="realtime-presence-sweep")

    async def _sweep_forever(self) -> None:
        # Entries of crashed tabs (and of web processes that died) expire; whoever still has sockets there tells them.
        while self.local:
            await asyncio.sleep(settings.PRESENCE_SWEEP_SECONDS)
            for project_id in list(self.local):
                try:
                    await self.refresh(project_id)
                except (redis.RedisError, OSError) as exc:
                    logger.warning("presence sweep of project %s failed: %s", project_id, exc)


_presences: dict[asyncio.AbstractEventLoop, Presence] = {}


def local_presence() -> Presence:
    loop = asyncio.get_running_loop()
    presence = _presences.get(loop)
    if presence is None:
        for stale in [other for other in _presences if other.is_closed()]:
            del _presences[stale]
        presence = _presences[loop] = Presence(loop)
    return presence
