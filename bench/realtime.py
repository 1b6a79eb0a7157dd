"""Benchmark of the live path: TaskFlow's /ws/ against a stock Channels consumer, and the write-to-screen path.

    DEBUG=1 .venv/bin/python -m bench.realtime [--sockets 1000] [--idle-sockets 2000] [--seconds 20] [--quick]
        [--database-url postgres://postgres@127.0.0.1:5432] [--client-procs 2]

It starts a redis-server of its own, recreates the PostgreSQL database `taskflow_bench`, migrates it and seeds users
in one project, then starts two Daphnes in production settings (DEBUG off): TaskFlow's own ASGI app, and the stock
reference (bench/reference_asgi.py: a bare AsyncJsonWebsocketConsumer in one group on RedisChannelLayer, the same
Redis and socket timeout). Clients run in processes of their own (bench/realtime_clients.py, the websockets library)
and authenticate to TaskFlow with a JWT. Server CPU is read from /proc/<pid>/stat of each Daphne, memory from
/proc/<pid>/status. Events are published from this process: TaskFlow's through its own publish (apps.realtime.fanout),
the reference's through channel_layer.group_send. Figures are printed as Markdown; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
CLK_TCK = os.sysconf("SC_CLK_TCK")
TABS = 20  # sockets per user


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, default=1000, help="sockets of the fan-out runs")
    parser.add_argument("--idle-sockets", type=int, default=2000, help="sockets of the connect and idle runs")
    parser.add_argument("--seconds", type=float, default=20, help="length of each timed run")
    parser.add_argument("--burst", type=int, default=20, help="events sent at once in the saturation run")
    parser.add_argument("--subscribers", type=int, default=100, help="sockets of the wide PATCH-to-frame run")
    parser.add_argument("--patch-rate", type=float, default=10, help="PATCHes per second")
    parser.add_argument(
        "--storm", type=int, default=2000, help="sockets that reconnect and resume at once after a restart (0: skip)"
    )
    parser.add_argument("--storm-only", action="store_true", help="only the reconnect storm")
    parser.add_argument("--client-procs", type=int, default=2)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432", help="a PostgreSQL server")
    parser.add_argument("--database", default="taskflow_bench", help="recreated at the start, dropped at the end")
    parser.add_argument("--quick", action="store_true", help="tiny N and short runs: checks that it works (CI)")
    # `make bench` passes the other benchmarks' options (--runs ...) to every benchmark: ignore what is not ours.
    args, _ = parser.parse_known_args(argv)
    if args.quick:
        args.sockets, args.idle_sockets, args.seconds, args.burst = 20, 40, 2, 3
        args.subscribers, args.client_procs, args.storm = 5, 1, 20
    args.pause = 0.2 if args.quick else 1.0  # settling pauses between phases
    return args


# --- processes ------------------------------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def server_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "bench-realtime-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_PROXY_SSL_HEADER": "0",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "ASSIST_PRIORITY_SUGGESTIONS": "0",
            # Loading the MiniLM model at start costs seconds of CPU in a background thread, charged to whatever is
            # measured first; nothing measured here uses it.
            "ASSIST_WARM_ON_START": "0",
            "JWT_ACCESS_TOKEN_LIFETIME": "86400",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("TASKFLOW_REQUIRE_SERVICES", None)
    return env


class Server:
    """One Daphne on a free port (the Procfile's `web` command line, with another application for the reference)."""

    def __init__(self, name: str, app: str, env: dict[str, str], workdir: Path, port: int | None = None):
        from apps.common.tests.utils import free_port

        self.name, self.port = name, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}/ws/"
        self.log_path = workdir / f"{name}.log"
        bin_dir = Path(sys.executable).parent
        self.process = subprocess.Popen(
            [str(bin_dir / "daphne"), "-b", "127.0.0.1", "-p", str(self.port), app],
            cwd=BASE_DIR,
            env=env,
            stdout=open(self.log_path, "a"),  # noqa: SIM115  (the child holds it; a restart appends)
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        import socket

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.log_path.read_text()}")
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} did not listen within {timeout} s")

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def rss(self) -> int:
        return rss_kib(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ClientPool:
    """The client processes (bench/realtime_clients.py); sockets are split evenly between them."""

    def __init__(self, count: int):
        self.count = count
        self.procs: list[asyncio.subprocess.Process] = []

    async def start(self) -> None:
        for _ in range(self.count):
            self.procs.append(
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bench.realtime_clients",
                    cwd=BASE_DIR,
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    limit=2**28,
                )
            )

    async def _ask(self, proc, command: dict) -> dict:
        proc.stdin.write((json.dumps(command) + "\n").encode())
        await proc.stdin.drain()
        return json.loads(await proc.stdout.readline())

    async def all(self, commands: list[dict]) -> list[dict]:
        return await asyncio.gather(*(self._ask(p, c) for p, c in zip(self.procs, commands, strict=True)))

    def split(self, n: int) -> list[int]:
        return [n // self.count + (1 if i < n % self.count else 0) for i in range(self.count)]

    async def connect(self, url: str, tokens: list[str] | None, n: int, batch: int = 50) -> dict:
        per_proc_batch = max(1, batch // self.count)
        answers = await self.all(
            [
                {"op": "connect", "url": url, "tokens": tokens, "n": share, "batch": per_proc_batch}
                for share in self.split(n)
            ]
        )
        return {
            "connected": sum(a["connected"] for a in answers),
            "errors": sum(a["errors"] for a in answers),
            "seconds": max(a["seconds"] for a in answers),
        }

    async def reset(self) -> None:
        await self.all([{"op": "reset"}] * self.count)

    async def wait(self, per_socket: int, sockets: int, timeout: float) -> tuple[int, float]:
        answers = await self.all(
            [{"op": "wait", "count": per_socket * share, "timeout": timeout} for share in self.split(sockets)]
        )
        return sum(a["received"] for a in answers), max(a["last_at"] for a in answers)

    async def stats(self) -> dict:
        answers = await self.all([{"op": "stats"}] * self.count)
        return {
            "received": sum(a["received"] for a in answers),
            "latencies_ms": [x for a in answers for x in a["latencies_ms"]],
            "titles": [t for a in answers for t in a["titles"]],
        }

    async def close(self, n: int | None = None) -> None:
        shares = self.split(n) if n is not None else [None] * self.count
        await self.all([{"op": "close", "n": share} for share in shares])

    async def storm(self, url: str, tokens: list[str]) -> dict:
        answers = await self.all([{"op": "storm", "url": url, "tokens": tokens}] * self.count)
        kinds: dict[str, int] = {}
        attempts: dict[str, int] = {}
        for answer in answers:
            for kind, n in answer["error_kinds"].items():
                kinds[kind] = kinds.get(kind, 0) + n
            for kind, n in answer["failed_attempts"].items():
                attempts[kind] = attempts.get(kind, 0) + n
        return {
            "retried": sum(a["retried"] for a in answers),
            "failed_attempts": attempts,
            "ready": sum(a["ready"] for a in answers),
            "errors": sum(a["errors"] for a in answers),
            "seconds": max(a["seconds"] for a in answers),
            "times": [t for a in answers for t in a["times"]],
            "error_kinds": kinds,
        }

    async def stop(self) -> None:
        for proc in self.procs:
            if proc.returncode is None:
                proc.stdin.write(b'{"op": "exit"}\n')
                await proc.stdin.drain()
                await proc.wait()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


# --- database -------------------------------------------------------------------------------------------------------


def recreate_database(server_url: str, name: str, *, create: bool = True) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            admin.execute(f'CREATE DATABASE "{name}"')


def seed(users: int) -> dict:
    """`users` users, all members of one project with one task; returns ids and their access JWTs."""
    from django.contrib.auth.hashers import make_password
    from ninja_jwt.tokens import AccessToken

    from apps.accounts.models import User, canonical_username
    from apps.projects.models import Membership, Project
    from apps.tasks.models import Task

    password = make_password("bench-Passphrase-42")
    people = User.objects.bulk_create(
        # bulk_create skips save(), which keeps username_canonical (unique) in step with the username.
        User(
            username=f"bench{n}",
            username_canonical=canonical_username(f"bench{n}"),
            email=f"bench{n}@example.com",
            password=password,
        )
        for n in range(users)
    )
    project = Project.objects.create(name="Bench", owner=people[0])
    Membership.objects.bulk_create(
        Membership(project=project, user=user, role="owner" if i == 0 else "member") for i, user in enumerate(people)
    )
    task = Task.objects.create(project=project, title="bench 0", created_by=people[0])
    return {
        "project": project.pk,
        "task": task.pk,
        "tokens": [str(AccessToken.for_user(user)) for user in people],
    }


# --- the runs -------------------------------------------------------------------------------------------------------


def fanout_event(project_id: int, n: int) -> dict:
    """A task.updated event as the tasks service builds it; `sent_at` last, for the clients' string search."""
    return {
        "type": "task.updated",
        "project": project_id,
        "task": {
            "id": 1,
            "project": project_id,
            "title": f"Benchmark task {n}",
            "description": "A task of the benchmark with a description of ordinary length.",
            "status": "in_progress",
            "priority": "medium",
            "due_at": None,
            "assignee": None,
            "created_by": 1,
            "version": n,
            "created_at": "2026-11-30T12:00:00Z",
            "updated_at": "2026-11-30T12:00:00Z",
            "completed_at": None,
            "suggested_priority": None,
        },
        "sent_at": time.time(),
    }


class Publisher:
    def __init__(self, kind: str, project_id: int):
        self.kind, self.project_id, self.n = kind, project_id, 0

    async def __call__(self) -> None:
        self.n += 1
        event = fanout_event(self.project_id, self.n)
        if self.kind == "taskflow":
            from apps.common.events import project_group
            from apps.realtime.fanout import publish

            publish(project_group(self.project_id), event)
        else:
            from channels.layers import get_channel_layer

            from bench.reference_asgi import GROUP

            await get_channel_layer().group_send(GROUP, {"type": "bench.event", "event": event})


async def measure_server(server: Server, pool: ClientPool, tokens: list[str] | None, publish, args) -> dict:
    """Connect, idle, then fan-out at 1 event/s and at saturation, on one server."""
    figures: dict = {}
    # Warm-up: imports, the database pool, the pub/sub connection.
    await pool.connect(server.ws_url, tokens, min(10, args.sockets))
    await publish()
    await pool.wait(1, min(10, args.sockets), 10)
    await pool.close()
    await asyncio.sleep(args.pause)

    rss_before, cpu_before = server.rss(), server.cpu()
    connected = await pool.connect(server.ws_url, tokens, args.idle_sockets, batch=50)
    figures["connect_seconds"] = connected["seconds"]
    figures["connect_errors"] = connected["errors"]
    figures["handshake_cpu_ms"] = (server.cpu() - cpu_before) * 1000 / max(1, connected["connected"])
    await asyncio.sleep(2 * args.pause)
    figures["idle_kb_per_socket"] = (server.rss() - rss_before) * 1.024 / max(1, connected["connected"])
    idle_seconds = max(1.0, args.seconds / 2)
    cpu_before = server.cpu()
    await asyncio.sleep(idle_seconds)
    figures["idle_cpu_pct"] = (server.cpu() - cpu_before) / idle_seconds * 100
    await pool.close(args.idle_sockets - args.sockets)
    await asyncio.sleep(args.pause)
    sockets = min(args.sockets, connected["connected"])  # a connect that failed under load is not owed anything

    # 1 event/s.
    await pool.reset()
    events = max(2, int(args.seconds))
    cpu_before = server.cpu()
    for _ in range(events):
        await publish()
        await asyncio.sleep(1)
    received, _ = await pool.wait(events, sockets, 30)
    cpu = server.cpu() - cpu_before
    stats = await pool.stats()
    figures["paced_cpu_per_delivery_ms"] = cpu * 1000 / max(1, received)
    figures["paced_lost"] = events * sockets - received
    figures["paced_p50_ms"] = pct(stats["latencies_ms"], 0.5)
    figures["paced_p99_ms"] = pct(stats["latencies_ms"], 0.99)

    # Saturation: a burst of events at once; the server works through a backlog until every socket has them all.
    await pool.reset()
    cpu_before, started = server.cpu(), time.time()
    for _ in range(args.burst):
        await publish()
    received, last_at = await pool.wait(args.burst, sockets, 120)
    cpu = server.cpu() - cpu_before
    figures["burst_cpu_per_delivery_ms"] = cpu * 1000 / max(1, received)
    figures["saturation_per_s"] = received / max(1e-6, last_at - started)
    figures["burst_lost"] = args.burst * sockets - received
    await pool.close()
    return figures


async def measure_writes(server: Server, pool: ClientPool, seeded: dict, args) -> dict:
    """PATCH through the REST API at a steady rate, with 1 and then `subscribers` sockets watching the project."""
    import httpx

    figures: dict = {}
    headers = {"Authorization": f"Bearer {seeded['tokens'][0]}"}
    url = f"{server.url}/api/tasks/{seeded['task']}/"
    counter = {"n": 0, "failed": 0}
    async with httpx.AsyncClient(headers=headers, timeout=30) as client:

        async def patch() -> tuple[str, float, float]:
            counter["n"] += 1
            title = f"bench {counter['n']}"
            started = time.time()
            try:
                response = await client.patch(url, json={"title": title})
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if not ok:
                counter["failed"] += 1
            return title, started, time.time() - started

        for _ in range(5):  # warm-up
            await patch()

        async def run(subscribers: int) -> tuple[list, float, dict]:
            await pool.connect(server.ws_url, seeded["tokens"][1:], subscribers)
            await pool.reset()
            count = max(5, int(args.seconds * args.patch_rate))
            cpu_before = server.cpu()
            pending, next_at = [], time.monotonic()
            for _ in range(count):
                pending.append(asyncio.create_task(patch()))
                next_at += 1 / args.patch_rate
                await asyncio.sleep(max(0, next_at - time.monotonic()))
            results = await asyncio.gather(*pending)
            await pool.wait(count, subscribers, 30)
            cpu = server.cpu() - cpu_before
            stats = await pool.stats()
            await pool.close()
            return results, cpu, stats

        results, cpu, stats = await run(1)
        latencies = [r[2] * 1000 for r in results]
        figures["patch_cpu_ms"] = cpu * 1000 / len(results)
        figures["patch_p50_ms"], figures["patch_p99_ms"] = pct(latencies, 0.5), pct(latencies, 0.99)
        started = {title: at for title, at, _ in results}
        to_frame = [(at - started[t]) * 1000 for t, at in stats["titles"] if t in started]
        figures["frame1_p50_ms"], figures["frame1_p99_ms"] = pct(to_frame, 0.5), pct(to_frame, 0.99)

        results, _, stats = await run(args.subscribers)
        started = {title: at for title, at, _ in results}
        to_frame = [(at - started[t]) * 1000 for t, at in stats["titles"] if t in started]
        figures["frame100_p50_ms"], figures["frame100_p99_ms"] = pct(to_frame, 0.5), pct(to_frame, 0.99)
        figures["frame100_missing"] = len(results) * args.subscribers - len(to_frame)
        figures["patch_failed"] = counter["failed"]
    return figures


async def measure_storm(server: Server, pool: ClientPool, tokens: list[str], args, env: dict, workdir: Path):
    """`args.storm` sockets connected (50 at a time), the server killed and started again on the same port, then every
    client reconnects, authenticates and resumes at once. Returns the figures and the server now running."""
    connected = await pool.connect(server.ws_url, tokens, args.storm, batch=50)
    await asyncio.sleep(args.pause)
    server.process.kill()  # a crash, not a drain: every socket drops at once
    server.process.wait()
    restarted = Server(server.name, "taskflow.asgi:application", env, workdir, port=server.port)
    restarted.wait_ready()
    cpu_before = restarted.cpu()
    back = await pool.storm(restarted.ws_url, tokens)
    cpu = restarted.cpu() - cpu_before
    await pool.close()
    figures = {
        "storm_sockets": connected["connected"],
        "storm_ready": back["ready"],
        "storm_errors": back["errors"],
        "storm_error_kinds": back["error_kinds"],
        "storm_seconds": back["seconds"],
        "storm_p50_s": pct(back["times"], 0.5),
        "storm_p99_s": pct(back["times"], 0.99),
        "storm_cpu_ms": cpu * 1000 / max(1, back["ready"]),
        "storm_retried": back["retried"],
        "storm_failed_attempts": back["failed_attempts"],
    }
    return figures, restarted


def ratio(ours: float, reference: float, lower_is_better: bool = True) -> str:
    if not reference or not ours:
        return "-"
    value = reference / ours if lower_is_better else ours / reference
    return f"{value:.2f}x {'better' if value >= 1 else 'worse'}"


def report(args, ours: dict, ref: dict, writes: dict, loads: list[str], seconds: float) -> str:
    argv = " ".join(sys.argv[1:])
    n, idle = args.sockets, args.idle_sockets
    rows = [
        ("server CPU per delivery, {n} sockets, 1 event/s", "paced_cpu_per_delivery_ms", "{:.3f} ms", True),
        ("server CPU per delivery, {n} sockets, overloaded", "burst_cpu_per_delivery_ms", "{:.3f} ms", True),
        ("deliveries/s at saturation, {n} sockets", "saturation_per_s", "{:,.0f}", False),
        ("receipt latency p50, {n} sockets, 1 event/s", "paced_p50_ms", "{:.0f} ms", True),
        ("receipt latency p99, {n} sockets, 1 event/s", "paced_p99_ms", "{:.0f} ms", True),
        ("idle memory per socket ({idle} sockets)", "idle_kb_per_socket", "{:.1f} KB", True),
        ("idle CPU ({idle} sockets)", "idle_cpu_pct", "{:.2f}%", True),
        ("{idle} sockets connected and ready, 50 at a time", "connect_seconds", "{:.1f} s", True),
        ("server CPU per handshake (to `ready`)", "handshake_cpu_ms", "{:.2f} ms", True),
    ]
    lines = [
        f"Command: `DEBUG=1 .venv/bin/python -m bench.realtime {argv}`".replace(" `", " `", 1),
        "",
        f"Load average before / after: {loads[0]} / {loads[1]} (2 cores); run time {seconds:.0f} s. "
        "TaskFlow authenticates every socket with a JWT; the reference has no authentication.",
        "",
        "| measure | TaskFlow | stock reference | ratio |",
        "|---|---|---|---|",
    ]
    for label, key, fmt, lower in rows:
        lines.append(
            f"| {label.format(n=n, idle=idle)} | {fmt.format(ours[key])} | {fmt.format(ref[key])} "
            f"| {ratio(ours[key], ref[key], lower)} |"
        )
    lost = {k: (ours[k], ref[k]) for k in ("paced_lost", "burst_lost", "connect_errors")}
    lines += [
        "",
        f"Lost deliveries / failed connects (TaskFlow, reference): 1 event/s {lost['paced_lost']}, "
        f"saturation {lost['burst_lost']}, connects {lost['connect_errors']}.",
        "",
        "Per write, through the REST API (PATCH of a task's title by its project's owner, "
        f"{args.patch_rate:g}/s for {args.seconds:g} s):",
        "",
        "| measure | value |",
        "|---|---|",
        f"| server CPU per PATCH | {writes['patch_cpu_ms']:.1f} ms (PATCHes not answered 200: "
        f"{writes['patch_failed']}) |",
        f"| PATCH latency p50 / p99 | {writes['patch_p50_ms']:.1f} / {writes['patch_p99_ms']:.1f} ms |",
        f"| PATCH to frame, 1 subscriber, p50 / p99 | {writes['frame1_p50_ms']:.1f} / "
        f"{writes['frame1_p99_ms']:.1f} ms |",
        f"| PATCH to frame, {args.subscribers} subscribers, p50 / p99 | {writes['frame100_p50_ms']:.1f} / "
        f"{writes['frame100_p99_ms']:.1f} ms (frames missing: {writes['frame100_missing']}) |",
    ]
    if "storm_ready" in writes:
        lines += ["", *storm_report(writes)]
    return "\n".join(lines)


def storm_report(writes: dict) -> list[str]:
    return [
        f"Reconnect storm: {writes['storm_sockets']} sockets connected, the TaskFlow Daphne killed (SIGKILL) and "
        "started again on its port, then every client reconnects as a dashboard tab does (after a jittered 250 "
        "to 500 ms, then backing off 2x from 500 ms to 15 s on a failure), authenticates, sends `resume` and a "
        "`ping`:",
        "",
        "| measure | value |",
        "|---|---|",
        f"| reconnect storm, {writes['storm_sockets']} clients: all back (`pong` after `resume`) | "
        f"{writes['storm_seconds']:.1f} s ({writes['storm_ready']} back, {writes['storm_errors']} errors"
        + (f": {writes['storm_error_kinds']}" if writes["storm_errors"] else "")
        + ") |",
        f"| reconnect storm, per client p50 / p99 | {writes['storm_p50_s']:.2f} / {writes['storm_p99_s']:.2f} s |",
        f"| reconnect storm, clients that needed a retry | {writes['storm_retried']} "
        f"(failed attempts: {writes['storm_failed_attempts'] or 0}) |",
        f"| reconnect storm, server CPU per reconnect + resume | {writes['storm_cpu_ms']:.2f} ms |",
    ]


async def run(args, seeded: dict, env: dict, workdir: Path) -> tuple[dict, dict, dict]:
    pool = ClientPool(args.client_procs)
    await pool.start()
    taskflow = Server("taskflow", "taskflow.asgi:application", env, workdir)
    reference = Server("reference", "bench.reference_asgi:application", env, workdir)
    try:
        taskflow.wait_ready()
        reference.wait_ready()
        if args.storm_only:
            storm, taskflow = await measure_storm(taskflow, pool, seeded["tokens"], args, env, workdir)
            return {}, {}, storm
        # Only one server works at a time; the other sits idle.
        ours = await measure_server(taskflow, pool, seeded["tokens"], Publisher("taskflow", seeded["project"]), args)
        ref = await measure_server(reference, pool, None, Publisher("reference", seeded["project"]), args)
        writes = await measure_writes(taskflow, pool, seeded, args)
        if args.storm:
            storm, taskflow = await measure_storm(taskflow, pool, seeded["tokens"], args, env, workdir)
            writes.update(storm)
    finally:
        await pool.stop()
        taskflow.stop()
        reference.stop()
    return ours, ref, writes


def setup_django(env: dict[str, str]) -> None:
    """Migrate the bench database with the servers' environment, then set this process up on the same settings."""
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    if migrate.returncode:
        raise SystemExit(migrate.stdout + migrate.stderr)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "taskflow.settings"
    import django

    django.setup()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    from apps.common.tests.utils import RedisServer

    workdir = Path(tempfile.mkdtemp(prefix="taskflow-bench-realtime-"))
    started, loads = time.monotonic(), [load_average()]
    recreate_database(args.database_url, args.database)
    with RedisServer(workdir / "redis.log") as redis_server:
        env = server_env(f"{args.database_url}/{args.database}", redis_server.url)
        setup_django(env)
        seeded = seed(max(2, min(args.idle_sockets, args.subscribers + 1, 100)))
        from django.db import connections

        connections.close_all()
        try:
            ours, ref, writes = asyncio.run(run(args, seeded, env, workdir))
        finally:
            connections.close_all()
            recreate_database(args.database_url, args.database, create=False)
    loads.append(load_average())
    print("## Real time\n")
    if args.storm_only:
        print(f"Load average before / after: {loads[0]} / {loads[1]}\n")
        print("\n".join(storm_report(writes)))
    else:
        print(report(args, ours, ref, writes, loads, time.monotonic() - started))


if __name__ == "__main__":
    main()
