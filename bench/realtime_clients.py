"""The client side of bench/realtime.py, in a process of its own: WebSocket clients driven by JSON lines on stdin.

Each command is one JSON line; each answer is one JSON line on stdout:
- {"op": "connect", "url": ..., "tokens": [...] | null, "n": N, "batch": 50}: connect N sockets, `batch` at a time
  (each batch all at once), each authenticating with its token (when given) and waiting for `ready`;
  answers {"connected", "errors", "seconds"}.
- {"op": "reset"}: forget what was received.
- {"op": "wait", "count": C, "timeout": T}: until C frames arrived (or T s); answers {"received", "last_at"}.
- {"op": "stats"}: {"received", "latencies_ms" (frames that carry `sent_at`), "titles" ([title, received at])}.
- {"op": "close", "n": N}: close N sockets (all when absent).
- {"op": "storm", "url": ..., "tokens": [...]}: after the server was restarted, every socket this process held
  reconnects with its token as a dashboard tab does (jittered delay, backoff on failure), waits for `ready`, sends
  `resume` with the `last_seq` its first `ready` gave, then a `ping`, and counts as back when the `pong` arrives
  (frames are handled in order, so the resume is done); answers {"ready", "errors" (gave up), "seconds",
  "times" (per client, s), "error_kinds", "retried" (clients that needed more than one attempt),
  "failed_attempts" (by exception)}.
Frames that carry `sent_at` (the fan-out events) are timed by string search, not decoded: the client's own CPU
must not be the bottleneck of a saturation run.
"""

import asyncio
import contextlib
import json
import random
import sys
import time

import websockets

SENT_AT = '"sent_at":'


class Clients:
    def __init__(self) -> None:
        self.sockets: list = []
        self.last_seqs: list[int] = []  # per socket, from its `ready`: where a reconnect resumes
        self.readers: list[asyncio.Task] = []
        self.received = 0
        self.last_at = 0.0
        self.latencies: list[float] = []
        self.titles: list[tuple[str, float]] = []
        self.arrived = asyncio.Event()

    async def _one(self, url: str, token: str | None):
        socket = await websockets.connect(url, open_timeout=60, close_timeout=5, max_size=2**20, ping_interval=None)
        if token is not None:
            await socket.send(json.dumps({"type": "auth", "token": token}))
        while True:
            frame = json.loads(await asyncio.wait_for(socket.recv(), 60))
            if frame.get("type") == "ready":
                return socket, frame.get("last_seq", 0)
            if frame.get("type") == "error":
                raise RuntimeError(frame.get("detail"))

    async def _back(self, url: str, token: str, after_seq: int) -> tuple[object, float, int]:
        """Reconnect as the dashboard does (static/dashboard/socket.js): the first attempt after a jittered 250-500 ms,
        then after each failure a delay growing 2x from 500 ms to 15 s, half of it jittered; give up after 120 s."""
        started, attempt = time.monotonic(), 0
        await asyncio.sleep(random.uniform(0.25, 0.5))
        while True:
            try:
                socket, _ = await self._one(url, token)
                await socket.send(json.dumps({"type": "resume", "after_seq": after_seq}))
                await socket.send(json.dumps({"type": "ping"}))
                while True:
                    frame = json.loads(await asyncio.wait_for(socket.recv(), 60))
                    if frame.get("type") == "pong":
                        return socket, time.monotonic() - started, attempt
                    if frame.get("type") == "error":
                        raise RuntimeError(frame.get("detail"))
            except Exception as exc:
                kind = type(exc).__name__ + (f" {exc}"[:70] if isinstance(exc, RuntimeError) else "")
                self.failed_attempts[kind] = self.failed_attempts.get(kind, 0) + 1
                if time.monotonic() - started > 120:
                    raise
                ceiling = min(15.0, 0.5 * 2**attempt)
                attempt += 1
                await asyncio.sleep(ceiling / 2 + random.random() * ceiling / 2)

    async def storm(self, url: str, tokens: list[str]) -> dict:
        """Every socket held before the restart comes back, each as a dashboard tab would."""
        for reader in self.readers:
            reader.cancel()
        seqs, self.sockets, self.readers, self.last_seqs = self.last_seqs, [], [], []
        self.failed_attempts: dict[str, int] = {}
        started = time.monotonic()
        results = await asyncio.gather(
            *(self._back(url, tokens[i % len(tokens)], seq) for i, seq in enumerate(seqs)), return_exceptions=True
        )
        seconds = time.monotonic() - started
        times, kinds, retried = [], {}, 0
        for result, seq in zip(results, seqs, strict=True):
            if isinstance(result, BaseException):
                kind = type(result).__name__
                kinds[kind] = kinds.get(kind, 0) + 1
            else:
                socket, took, retries = result
                times.append(round(took, 4))
                retried += retries > 0
                self.sockets.append(socket)
                self.last_seqs.append(seq)
                self.readers.append(asyncio.create_task(self._read(socket)))
        errors = len(results) - len(times)
        return {
            "ready": len(times),
            "errors": errors,
            "seconds": seconds,
            "times": times,
            "error_kinds": kinds,
            "retried": retried,
            "failed_attempts": self.failed_attempts,
        }

    async def connect(self, url: str, tokens: list[str] | None, n: int, batch: int) -> dict:
        started, errors = time.monotonic(), 0
        for start in range(0, n, batch):
            chosen = range(start, min(n, start + batch))
            results = await asyncio.gather(
                *(self._one(url, tokens[i % len(tokens)] if tokens else None) for i in chosen),
                return_exceptions=True,
            )
            for result in results:
                if isinstance(result, BaseException):
                    errors += 1
                else:
                    socket, last_seq = result
                    self.sockets.append(socket)
                    self.last_seqs.append(last_seq)
                    self.readers.append(asyncio.create_task(self._read(socket)))
        return {"connected": n - errors, "errors": errors, "seconds": time.monotonic() - started}

    async def _read(self, socket) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for text in socket:
                now = time.time()
                self.received += 1
                self.last_at = now
                at = text.rfind(SENT_AT)
                if at >= 0:
                    self.latencies.append(now - float(text[at + len(SENT_AT) :].rstrip("} ")))
                else:
                    frame = json.loads(text)
                    task = frame.get("task") if isinstance(frame, dict) else None
                    if isinstance(task, dict) and "title" in task:
                        self.titles.append((task["title"], now))
                self.arrived.set()

    async def wait(self, count: int, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while self.received < count and time.monotonic() < deadline:
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), max(0.01, deadline - time.monotonic()))
        return {"received": self.received, "last_at": self.last_at}

    def reset(self) -> dict:
        self.received, self.last_at, self.latencies, self.titles = 0, 0.0, [], []
        return {"ok": True}

    def stats(self) -> dict:
        return {
            "received": self.received,
            "latencies_ms": [round(x * 1000, 2) for x in self.latencies],
            "titles": self.titles,
        }

    async def close(self, n: int | None) -> dict:
        n = len(self.sockets) if n is None else min(n, len(self.sockets))
        closing, self.sockets = self.sockets[:n], self.sockets[n:]
        self.last_seqs = self.last_seqs[n:]
        readers, self.readers = self.readers[:n], self.readers[n:]
        for start in range(0, len(closing), 200):
            await asyncio.gather(*(s.close() for s in closing[start : start + 200]), return_exceptions=True)
        for reader in readers:
            reader.cancel()
        return {"closed": n, "open": len(self.sockets)}


async def main() -> None:
    clients = Clients()
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := await reader.readline():
        command = json.loads(line)
        op = command.pop("op")
        if op == "exit":
            await clients.close(None)
            break
        if op == "connect":
            answer = await clients.connect(**command)
        elif op == "wait":
            answer = await clients.wait(**command)
        elif op == "reset":
            answer = clients.reset()
        elif op == "stats":
            answer = clients.stats()
        elif op == "storm":
            answer = await clients.storm(**command)
        elif op == "close":
            answer = await clients.close(command.get("n"))
        else:
            answer = {"error": f"unknown op {op}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    asyncio.run(main())
