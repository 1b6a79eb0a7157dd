"""A `/ws/` client that behaves as the contract asks a careful client to (API.md, "WebSocket"), for tests and the soak.

It authenticates with a JWT in its first frame, holds the highest contiguous notification `seq` it has, and asks to
`resume` after it whenever it learns of a gap: a frame further ahead, a `ready` or a `pong` whose `last_seq` is above
it. When the socket closes it connects again (to the same or another server) and does the same.
"""

import asyncio
import contextlib
import json
import random
from collections import Counter
from collections.abc import Callable

import websockets


class ResumingClient:
    def __init__(self, urls: list[str], token: Callable[[], str], *, held_seq: int = 0, ping_every: float = 5.0):
        self.urls = urls  # ws://host:port/ws/ of each server; a reconnect picks one at random
        self.token = token  # a fresh access JWT
        self.held_seq = held_seq  # everything up to here has arrived
        self.ping_every = ping_every
        self.ahead: set[int] = set()
        self.received: Counter[int] = Counter()  # seq -> frames received (more than 1: a duplicate)
        self.live: set[int] = set()  # seqs that first arrived live
        self.resumed: set[int] = set()  # seqs that first arrived in answer to a resume
        self.frames: list[dict] = []
        self.connects = 0
        self.socket_duplicates = 0  # a seq sent twice on one connection: the server promises none
        self._this_socket: set[int] = set()
        self.errors: Counter[str] = Counter()  # connection failures by exception type
        self.ready = asyncio.Event()
        self.socket = None
        self._resuming = False
        self._task: asyncio.Task | None = None
        self._stopped = False

    # --- driving it ---------------------------------------------------------------------------------------------------
    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        self._stopped = True
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await self.socket.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def drop(self) -> None:
        """Close the connection from this side, as a laptop lid or a flaky network does; it reconnects."""
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await self.socket.close()

    async def sync(self) -> None:
        """Ping; a pong whose last_seq is above what is held makes the client resume."""
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await self.socket.send(json.dumps({"type": "ping"}))

    def missing(self, last_seq: int, since: int = 0) -> list[int]:
        return [seq for seq in range(since + 1, last_seq + 1) if seq not in self.received]

    # --- the protocol -------------------------------------------------------------------------------------------------
    async def _run(self) -> None:
        while not self._stopped:
            try:
                async with websockets.connect(random.choice(self.urls), open_timeout=10, close_timeout=2) as socket:
                    self.socket = socket
                    self.connects += 1
                    self._this_socket = set()
                    await socket.send(json.dumps({"type": "auth", "token": await asyncio.to_thread(self.token)}))
                    pinger = asyncio.create_task(self._ping(socket))
                    try:
                        async for text in socket:
                            await self._handle(socket, json.loads(text))
                    finally:
                        pinger.cancel()
            except Exception as exc:  # refused, dropped, a token not issued: try again, as a browser tab would
                self.errors[type(exc).__name__] += 1
            self.socket = None
            self.ready.clear()
            self._resuming = False
            if not self._stopped:
                await asyncio.sleep(0.2 + random.random() * 0.5)

    async def _ping(self, socket) -> None:
        while True:
            await asyncio.sleep(self.ping_every)
            await socket.send(json.dumps({"type": "ping"}))

    async def _handle(self, socket, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "ready":
            self.ready.set()
            await self._check(socket, frame["last_seq"])
        elif kind == "pong":
            self._resuming = False  # a pong follows the replay of a resume asked before its ping
            await self._check(socket, frame["last_seq"])
        elif kind == "notification":
            seq = frame["notification"]["seq"]
            if seq in self._this_socket:
                self.socket_duplicates += 1
            self._this_socket.add(seq)
            if seq not in self.received:
                (self.resumed if frame.get("replay") else self.live).add(seq)
            self.received[seq] += 1
            if seq > self.held_seq:
                self.ahead.add(seq)
                while self.held_seq + 1 in self.ahead:
                    self.held_seq += 1
                    self.ahead.remove(self.held_seq)
                if self.ahead:
                    await self._resume(socket)
        else:
            self.frames.append(frame)

    async def _check(self, socket, last_seq: int) -> None:
        if last_seq > self.held_seq:
            await self._resume(socket)

    async def _resume(self, socket) -> None:
        if self._resuming:
            return
        self._resuming = True
        await socket.send(json.dumps({"type": "resume", "after_seq": self.held_seq}))
        await socket.send(json.dumps({"type": "ping"}))  # its pong marks the end of the replay
