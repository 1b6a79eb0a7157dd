"""The WebSocket endpoint `/ws/`: authenticate, join groups, forward events, answer resume and ping.

No business logic lives here. Database work happens only in authentication, joining and resume; events handed over
by the process's fan-out (apps.realtime.fanout) are only sent (see ARCHITECTURE.md, "Pitfalls").
"""

import asyncio
import contextlib
import json
import logging
import time
import uuid
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from ninja_jwt.exceptions import TokenError
from redis.exceptions import RedisError

from apps.accounts.authentication import user_and_projects_from_access_token
from apps.common import metrics
from apps.common.events import project_group, user_group
from apps.notifications import selectors
from apps.notifications.serializers import NotificationSerializer
from apps.projects.selectors import member_project_ids
from apps.realtime.fanout import CLOSE_RECONNECT, local_fanout, remember_server_loop
from apps.realtime.presence import local_presence
from apps.realtime.sequence import SentSeqs

logger = logging.getLogger(__name__)

CLOSE_UNAUTHENTICATED = 4401
RESUME_BATCH = 200
# Client frames are small (auth, ping, resume, presence); anything larger is not one of them.
MAX_FRAME_CHARS = 16_384
# A timer further away than this is re-armed when it fires (asyncio handles huge delays badly).
MAX_TIMER_SECONDS = 24 * 3600


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def _origin_allowed(scope) -> bool:
    """Cookie sockets only from the site's own origin (scheme, host and port, as the browser sent them to this server)
    or a configured trusted origin, as Django's CSRF check does for forms."""
    origin, host = _header(scope, b"origin"), _header(scope, b"host")
    if not origin or not host:
        return False
    domain, _ = split_domain_port(host)
    allowed_hosts = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    if not domain or not validate_host(domain, allowed_hosts):
        return False
    secure = scope.get("scheme") == "wss" or _behind_tls_proxy(scope)
    own_origin = f"{'https' if secure else 'http'}://{host.lower()}"
    return origin.lower() == own_origin or origin in settings.CSRF_TRUSTED_ORIGINS


def _behind_tls_proxy(scope) -> bool:
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if not proxy_header:
        return False
    name, value = proxy_header
    header = name.removeprefix("HTTP_").lower().replace("_", "-").encode("latin1")
    return _header(scope, header) == value


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def _innermost_send(send):
    """The server's own send under Channels' session middleware, for fan-out frames.

    The session wrapper (AuthMiddlewareStack) looks at the session on every message it sends, to save it before an
    HTTP response starts; for a WebSocket frame it does nothing else. In the fan-out profile that look (a LazyObject,
    the session's `modified` and `is_empty`) and the consumer's send layers were a quarter of the CPU per delivery.
    """
    wrapper = getattr(send, "__self__", None)
    return getattr(wrapper, "real_send", send)


def _token_in_url(scope) -> bool:
    query = parse_qs(scope.get("query_string", b"").decode("latin1"))
    return any(key.lower() in {"token", "access", "access_token", "jwt", "auth"} for key in query)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    # Events do not come through the channel layer: the process's fan-out (apps.realtime.fanout) hands them to
    # `deliver`, encoded once for every socket. Without a layer Channels creates no per-socket channel or receive loop.
    channel_layer_alias = None

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except RedisError as exc:
            # Subscribing a group failed: Redis is away. Rather than dying with 1011, ask the client to reconnect
            # (4012): it joins its groups again once Redis is back, and catches up.
            logger.warning("socket closed for a reconnect: the channel Redis failed (%s)", exc)
            self._cancel_timers()
            self.fanout.leave_all(self, self.joined)
            self._uncount()
            await send({"type": "websocket.close", "code": CLOSE_RECONNECT})

    async def connect(self) -> None:
        self.opened_at = time.perf_counter()
        self.counted = False
        self.user = None
        self.project_ids: set[int] = set()
        self.joined: set[str] = set()
        self.sent: SentSeqs | None = None  # set at `ready`
        self.early: list[tuple[dict, str]] | None = []  # events that arrive before `ready`, handled right after it
        self.token_exp: float | None = None
        self.session_key: str | None = None  # the browser session of a cookie-authenticated socket
        self.closing = False
        self._timers: dict[str, asyncio.Task] = {}
        self.fanout = local_fanout()
        self.socket_id = uuid.uuid4().hex  # this socket's presence entry
        self.present_in: int | None = None
        self._send_raw = _innermost_send(self.base_send)
        remember_server_loop(asyncio.get_running_loop())
        await self.accept()
        metrics.SOCKETS_OPEN.inc()
        self.counted = True
        if _token_in_url(self.scope):
            await self.refuse('A token in the URL is refused: send {"type": "auth", "token": ...} instead.')
            return
        session_user = self.scope.get("user")
        if session_user is not None and session_user.is_authenticated:
            if not _origin_allowed(self.scope):
                await self.refuse("Cookie authentication from this Origin is refused.")
                return
            self.session_key = self.scope["session"].session_key
            await self.authenticated(session_user)
            return
        self._schedule("auth_deadline", settings.WS_AUTH_TIMEOUT, "No authentication within the allowed time.")

    async def disconnect(self, code) -> None:
        self._uncount()
        self._cancel_timers()
        await self._leave_presence()  # a closed socket leaves at once
        for group in list(self.joined):
            with contextlib.suppress(RedisError):  # its subscription dies with Redis anyway
                await self.fanout.leave(group, self)
        self.joined.clear()

    def _uncount(self) -> None:
        if getattr(self, "counted", False):
            self.counted = False
            metrics.SOCKETS_OPEN.dec()

    def _cancel_timers(self) -> None:
        for timer in self._timers.values():
            timer.cancel()

    # --- client frames --------------------------------------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        if self.closing:  # refused: frames still in flight are not answered
            return
        if text_data is None:
            await self.send_error("Frames are JSON text.")
            return
        if len(text_data) > MAX_FRAME_CHARS:
            await self.send_error(f"Frame too large: at most {MAX_FRAME_CHARS} characters.")
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # RecursionError: JSON nested thousands of levels deep
            await self.send_error("Malformed JSON.")
            return
        await self.receive_json(content)

    async def receive_json(self, content, **kwargs) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "auth":
            await self.on_auth(content.get("token"))
        elif self.user is None:
            await self.refuse('Authenticate first: {"type": "auth", "token": "<access JWT>"}.')
        elif kind == "ping":
            # The user's last_seq tells a client that missed the tail of its stream to resume.
            last_seq = await database_sync_to_async(selectors.last_seq)(user_id=self.user.pk)
            await self.send_json({"type": "pong", "last_seq": last_seq})
        elif kind == "resume":
            await self.on_resume(content)
        elif kind == "presence":
            await self.on_presence(content)
        else:
            await self.send_error(f"Unknown frame type: {kind!r}." if kind else 'A frame needs a "type".')

    async def on_auth(self, raw_token) -> None:
        if not isinstance(raw_token, str) or not raw_token:
            await self.refuse('The auth frame needs a "token".')
            return
        # The client authenticated in time; how long the server then takes to check the token is the server's
        # business. Without this, a reconnect storm that queues the checks past WS_AUTH_TIMEOUT refuses clients that
        # did nothing wrong, and their retries make the queue longer.
        self._cancel("auth_deadline")
        try:
            # One query: the token's user and their projects (the joins below need both).
            user, token, project_ids = await database_sync_to_async(user_and_projects_from_access_token)(raw_token)
            expires = float(token["exp"])
        except (TokenError, KeyError, TypeError, ValueError, OverflowError) as exc:
            await self.refuse(f"Authentication failed: {exc or 'a token this server cannot use'}")
            return
        if self.user is not None and (self.token_exp is None or user.pk != self.user.pk):
            await self.refuse("A socket cannot change user or mix cookie and token authentication.")
            return
        self.token_exp = expires
        self._schedule("token_expiry", self.token_exp - time.time(), "The access token expired.")
        if self.user is None:
            await self.authenticated(user, project_ids)

    async def authenticated(self, user, project_ids: list[int] | None = None) -> None:
        self._cancel("auth_deadline")
        self.user = user
        if project_ids is None:  # a cookie socket: the session gave the user only
            project_ids = await database_sync_to_async(self._project_ids)()
        self.project_ids = set(project_ids)
        groups = [user_group(user.pk), *(project_group(project_id) for project_id in self.project_ids)]
        await self.fanout.join_many(groups, self)  # one SUBSCRIBE for the groups new to this process
        self.joined.update(groups)
        # Read after joining: anything numbered above last_seq arrives live; anything up to it, through resume. The
        # projects are read again with it: a membership that changed before the user group was joined sent its event
        # too early for this socket, so this read is what tells.
        last_id, last_seq, now_ids = await database_sync_to_async(selectors.stream_position)(user_id=user.pk)
        for project_id in set(now_ids) - self.project_ids:
            self.project_ids.add(project_id)
            await self._join(project_group(project_id))
        for project_id in self.project_ids - set(now_ids):
            self.project_ids.discard(project_id)
            await self._leave(project_group(project_id))
        self.sent = SentSeqs(ready_at=last_seq)
        await self.send_json(
            {
                "type": "ready",
                "user": {"id": user.pk, "username": user.username},
                "last_notification_id": last_id,
                "last_seq": last_seq,
            }
        )
        metrics.HANDSHAKE_SECONDS.observe(time.perf_counter() - self.opened_at)
        early, self.early = self.early, None
        for event, text in early or ():
            await self.deliver(event, text)

    async def on_resume(self, content: dict) -> None:
        """Replay the user's notifications after `after_seq` (or, the older form, after the id `after`), oldest first,
        skipping any this socket already sent; live frames held meanwhile follow without duplicates."""
        by_seq = "after_seq" in content
        cursor = content.get("after_seq") if by_seq else content.get("after")
        if isinstance(cursor, bool) or not isinstance(cursor, int) or cursor < 0:
            await self.send_error('resume needs "after_seq": the highest contiguous seq held (0 for everything).')
            return
        metrics.RESUMES.inc()
        start = cursor
        while True:
            batch = await database_sync_to_async(self._notifications_after)(cursor, by_seq)
            for frame in batch:
                if self.sent.replay(frame["notification"]["seq"]):
                    await self.send_json(frame)
            if len(batch) < RESUME_BATCH:
                break
            cursor = batch[-1]["notification"]["seq" if by_seq else "id"]
        if by_seq:
            self.sent.replayed_history_after(start)

    async def on_presence(self, content: dict) -> None:
        """The client has `project` open (and edits task `editing`). Membership is the socket's own project list,
        read at `ready` and kept by membership events: no database work per heartbeat."""
        project_id, editing = content.get("project"), content.get("editing")
        if not _is_id(project_id) or not (editing is None or _is_id(editing)):
            await self.send_error('presence needs "project": an id, and "editing": a task id or null.')
            return
        if project_id not in self.project_ids:
            await self.send_error("No such project among yours.")
            return
        self.present_in = project_id
        user = {"id": self.user.pk, "username": self.user.username}
        try:
            frame = await local_presence().announce(
                socket_id=self.socket_id, user=user, project_id=project_id, editing=editing
            )
        except (RedisError, OSError) as exc:
            logger.warning("presence failed: %s", exc)
            await self.send_error("Presence is unavailable right now.")
            return
        if frame is not None:
            await self.send_json(frame)

    async def _leave_presence(self) -> None:
        if self.present_in is None:
            return
        self.present_in = None
        with contextlib.suppress(RedisError, OSError):
            await local_presence().leave(socket_id=self.socket_id)

    # --- events from the fan-out: only send (no database work: ARCHITECTURE.md, "Pitfalls") ------------------------
    async def deliver(self, event: dict, text: str) -> bool:
        """One event of a group this socket is in; `text` is its frame, encoded once for every socket. True when the
        frame was written to this socket (counted by the fan-out)."""
        if self.early is not None:  # not ready yet: the project list and last_seq decide once it is
            self.early.append((event, text))
            return False
        if self.closing:
            return False
        kind = event["type"]
        if kind == "notification":
            if self.sent.forward_live(event["notification"]["seq"]):
                await self._send_raw({"type": "websocket.send", "text": text})
                return True
        elif kind == "project.added":
            # Join first, then tell the page: the project's events from now on reach it.
            self.project_ids.add(event["project"]["id"])
            await self._join(project_group(event["project"]["id"]))
            await self._send_raw({"type": "websocket.send", "text": text})
            return True
        elif kind == "project.removed":
            project_id = event["project"]["id"]
            self.project_ids.discard(project_id)
            await self._leave(project_group(project_id))
            if self.present_in == project_id:
                # Off the fan-out's path: leaving presence talks to Redis and publishes.
                asyncio.get_running_loop().create_task(self._leave_presence())
            await self._send_raw({"type": "websocket.send", "text": text})
            return True
        elif kind == "session.revoked":
            if event["session"] is None or event["session"] == self.session_key:
                await self.refuse("Signed out: authenticate again.")
        elif "project" in event:
            # The group is the routing; this check keeps a late event of a project just left off the socket.
            if event["project"] in self.project_ids:
                await self._send_raw({"type": "websocket.send", "text": text})
                return True
        else:
            await self._send_raw({"type": "websocket.send", "text": text})  # the user's own: unread_count
            return True
        return False

    async def reconnect(self) -> None:
        """Called by the fan-out when Redis may have lost events: the client reconnects and catches up."""
        if not self.closing:
            self.closing = True
            await self.close(code=CLOSE_RECONNECT)

    # --- helpers ----------------------------------------------------------------------------------------------------
    async def _join(self, group: str) -> None:
        await self.fanout.join(group, self)
        self.joined.add(group)

    async def _leave(self, group: str) -> None:
        self.joined.discard(group)
        await self.fanout.leave(group, self)

    def _project_ids(self) -> list[int]:
        return [row["project_id"] for row in member_project_ids(user=self.user)]

    def _notifications_after(self, cursor: int, by_seq: bool) -> list[dict]:
        if by_seq:
            rows = selectors.notifications_after_seq(user_id=self.user.pk, after_seq=cursor, limit=RESUME_BATCH)
        else:
            rows = selectors.notifications_after(user_id=self.user.pk, after=cursor, limit=RESUME_BATCH)
        # `replay` tells a client this one comes from the history, not from now (no sound, no animation).
        return [
            {"type": "notification", "notification": NotificationSerializer(row).data, "replay": True} for row in rows
        ]

    def _schedule(self, name: str, delay: float, reason: str) -> None:
        self._cancel(name)
        deadline = time.monotonic() + max(delay, 0)

        async def close_later() -> None:
            while (left := deadline - time.monotonic()) > 0:
                await asyncio.sleep(min(left, MAX_TIMER_SECONDS))
            await self.refuse(reason)

        self._timers[name] = asyncio.create_task(close_later())

    def _cancel(self, name: str) -> None:
        timer = self._timers.pop(name, None)
        if timer is not None and timer is not asyncio.current_task():
            timer.cancel()

    async def send_error(self, detail: str) -> None:
        await self.send_json({"type": "error", "detail": detail})

    async def refuse(self, detail: str) -> None:
        if self.closing:
            return
        self.closing = True
        await self.send_error(detail)
        await self.close(code=CLOSE_UNAUTHENTICATED)
