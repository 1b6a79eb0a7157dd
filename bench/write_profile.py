"""Server CPU per PATCH and per authenticated handshake, on one Daphne, with an optional py-spy profile.

    DEBUG=1 .venv/bin/python -m bench.write_profile patch --rate 20 --seconds 25 [--pyspy out.json]
    DEBUG=1 .venv/bin/python -m bench.write_profile handshake --sockets 300 --batch 10 [--pyspy out.json]

The set-up is bench/realtime.py's (production settings, DEBUG off, PostgreSQL, a redis-server of its own, one Daphne,
clients in this process): `patch` PATCHes a task's title through the REST API at a steady rate with one subscribed
socket; `handshake` opens sockets that authenticate with a JWT, `batch` at a time, until each is `ready`. Server CPU is
read from /proc/<pid>/stat of the Daphne around the measured part only (warm-up excluded). With `--pyspy` the Daphne
is sampled meanwhile (py-spy, non-blocking, only the thread holding the GIL) and the profile written in speedscope
format; read CPU figures from runs without it.
"""

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.realtime import Server, load_average, pct, recreate_database, seed, server_env, setup_django
from bench.realtime_clients import Clients


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["patch", "handshake"])
    parser.add_argument("--rate", type=float, default=20, help="PATCHes per second")
    parser.add_argument("--seconds", type=float, default=25, help="how long to PATCH")
    parser.add_argument("--sockets", type=int, default=300, help="handshakes to measure")
    parser.add_argument("--batch", type=int, default=10, help="handshakes at once")
    parser.add_argument("--pyspy", default="", help="write a py-spy speedscope profile of the Daphne here")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "taskflow_h2"))
    parser.add_argument("--redis-port", type=int, default=int(os.environ.get("BENCH_REDIS_PORT", "6395")))
    return parser.parse_args(argv)


class PySpy:
    def __init__(self, pid: int, out: str):
        self.out = out
        self.process = None
        if out:
            self.process = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "py-spy"),
                    "record",
                    "--pid",
                    str(pid),
                    "--format",
                    "raw" if out.endswith(".txt") else "speedscope",  # .txt: collapsed stacks, one per line
                    "--output",
                    out,
                    "--nonblocking",
                    "--gil",
                    "--rate",
                    "250",
                    "--threads",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            time.sleep(1.0)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(2)  # SIGINT: py-spy writes the profile and exits
            self.process.wait(timeout=30)


async def measure_patch(server: Server, seeded: dict, args) -> dict:
    import httpx
    import websockets

    headers = {"Authorization": f"Bearer {seeded['tokens'][0]}"}
    url = f"{server.url}/api/tasks/{seeded['task']}/"
    counter = {"n": 0, "failed": 0}
    frames: list[float] = []
    socket = await websockets.connect(server.ws_url, ping_interval=None)
    await socket.send(f'{{"type": "auth", "token": "{seeded["tokens"][1]}"}}')
    while '"ready"' not in await socket.recv():
        pass

    async def read() -> None:
        async for _ in socket:
            frames.append(time.time())

    reader = asyncio.create_task(read())
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:

        async def patch() -> float:
            counter["n"] += 1
            started = time.perf_counter()
            response = await client.patch(url, json={"title": f"bench {counter['n']}"})
            if response.status_code != 200:
                counter["failed"] += 1
            return (time.perf_counter() - started) * 1000

        for _ in range(20):  # warm-up: imports, pool, caches
            await patch()
        spy = PySpy(server.process.pid, args.pyspy)
        count = int(args.seconds * args.rate)
        load_before = load_average()
        cpu_before, received_before = server.cpu(), len(frames)
        pending, next_at = [], time.monotonic()
        for _ in range(count):
            pending.append(asyncio.create_task(patch()))
            next_at += 1 / args.rate
            await asyncio.sleep(max(0, next_at - time.monotonic()))
        latencies = await asyncio.gather(*pending)
        deadline = time.monotonic() + 10
        while len(frames) - received_before < count and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        cpu = server.cpu() - cpu_before
        spy.stop()
    reader.cancel()
    await socket.close()
    return {
        "patches": count,
        "failed": counter["failed"],
        "frames": len(frames) - received_before,
        "cpu_ms_per_patch": cpu * 1000 / count,
        "p50_ms": pct(latencies, 0.5),
        "p99_ms": pct(latencies, 0.99),
        "load": f"{load_before} / {load_average()}",
    }


async def measure_handshake(server: Server, seeded: dict, args) -> dict:
    clients = Clients()  # bench/realtime.py's client side, in this process
    await clients.connect(server.ws_url, seeded["tokens"], 20, args.batch)  # warm-up
    spy = PySpy(server.process.pid, args.pyspy)
    load_before = load_average()
    cpu_before, started = server.cpu(), time.monotonic()
    connected = await clients.connect(server.ws_url, seeded["tokens"], args.sockets, args.batch)
    cpu, seconds = server.cpu() - cpu_before, time.monotonic() - started
    spy.stop()
    await clients.close(None)
    return {
        "handshakes": args.sockets,
        "errors": connected["errors"],
        "cpu_ms_per_handshake": cpu * 1000 / args.sockets,
        "seconds": seconds,
        "load": f"{load_before} / {load_average()}",
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    from apps.common.tests.utils import RedisServer

    workdir = Path(tempfile.mkdtemp(prefix="taskflow-write-profile-"))
    recreate_database(args.database_url, args.database)
    redis_server = RedisServer(workdir / "redis.log")
    redis_server.port, redis_server.url = args.redis_port, f"redis://127.0.0.1:{args.redis_port}/0"
    with redis_server:
        env = server_env(f"{args.database_url}/{args.database}", redis_server.url)
        setup_django(env)
        seeded = seed(100)
        from django.db import connections

        connections.close_all()
        server = Server("taskflow", "taskflow.asgi:application", env, workdir)
        try:
            server.wait_ready()
            measure = measure_patch if args.mode == "patch" else measure_handshake
            figures = asyncio.run(measure(server, seeded, args))
        finally:
            server.stop()
            connections.close_all()
            recreate_database(args.database_url, args.database, create=False)
    for key, value in figures.items():
        print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
