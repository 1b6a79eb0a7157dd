"""`make soak`: the production topology under a steady write rate, with sockets dropping and resuming, and faults.

    DEBUG=1 .venv/bin/python -m bench.soak --minutes 8 --sockets 300 --writes 14 [--redis-restart-at 240]
        [--pg-terminate-at 120 --pg-terminate-for 8 --pg-terminate-every 0.05] [--database-url postgres://...]

It boots the Procfile's processes under honcho (web twice, worker, scheduler; production settings) on a fresh
PostgreSQL database and a redis-server of its own (apps/common/tests/topology.py), seeds projects, and connects
--sockets clients from this process (apps/realtime/tests/client.py: JWT auth, seq gap detection, resume), spread over
users as several tabs each, each on a random web process. Every client drops its connection at random (on average
every --drop-every seconds) and resumes on a random web process. A writer PATCHes task statuses through the API at
--writes per second; each status change notifies the task's assignee and creator (not the actor).

At the end it waits for the clients to settle, then counts against the database (the truth):
- owed: for every client, the notifications of its user numbered after its first `ready`;
- delivered live, delivered by resume, lost (owed but never received), duplicates on one socket (the server's
  promise: none) and repeats across reconnects (removed by seq, as every client does);
- 5xx answers, and those among them whose write had committed (each PATCH carries a nonce in its description);
- the RSS of both web processes over time.
Figures are printed as Markdown for BENCHMARKS.md; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

PASSWORD = "soak-Passphrase-42"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=8)
    parser.add_argument("--sockets", type=int, default=300)
    parser.add_argument("--tabs", type=int, default=5, help="sockets per user")
    parser.add_argument("--team", type=int, default=10, help="users per project")
    parser.add_argument("--tasks", type=int, default=20, help="tasks per project")
    parser.add_argument("--writes", type=float, default=14, help="PATCHes per second")
    parser.add_argument("--drop-every", type=float, default=25, help="mean seconds between a client's drops")
    parser.add_argument("--redis-restart-at", type=float, default=None, help="seconds into the run")
    parser.add_argument("--redis-down-for", type=float, default=2)
    parser.add_argument("--pg-terminate-at", type=float, default=None, help="seconds into the run")
    parser.add_argument("--pg-terminate-for", type=float, default=8)
    parser.add_argument("--pg-terminate-every", type=float, default=0.05)
    parser.add_argument("--rss-every", type=float, default=30)
    parser.add_argument("--settle", type=float, default=60, help="seconds to let clients catch up at the end")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432", help="a PostgreSQL server")
    return parser.parse_args()


def setup_django(server_url: str, database: str) -> None:
    os.environ["DATABASE_URL"] = f"{server_url}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskflow.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("REDIS_URL", None)  # this process seeds and counts through the ORM; it publishes nothing
    os.environ["ASSIST_PRIORITY_SUGGESTIONS"] = "0"
    os.environ["LOG_LEVEL"] = "WARNING"  # this process's own log; the servers' goes to the honcho log
    import django

    django.setup()


def seed(users: int, team: int, tasks: int) -> list[dict]:
    """Projects of `team` users each (the first is the owner), with tasks assigned to members; returns the teams."""
    from django.contrib.auth.hashers import make_password

    from apps.accounts.models import User
    from apps.projects.models import Membership, Project
    from apps.tasks.models import Task

    password = make_password(PASSWORD)
    people = User.objects.bulk_create(
        User(
            username=f"soak{n}",
            username_canonical=f"soak{n}",  # bulk_create skips save(), which fills it
            email=f"soak{n}@example.com",
            password=password,
        )
        for n in range(users)
    )
    teams = []
    for start in range(0, users, team):
        members = people[start : start + team]
        project = Project.objects.create(name=f"Soak {start // team}", owner=members[0])
        Membership.objects.bulk_create(
            Membership(project=project, user=user, role="owner" if i == 0 else "member")
            for i, user in enumerate(members)
        )
        # Created straight in the database: the run measures the changes, not the seeding.
        created = Task.objects.bulk_create(
            Task(project=project, title=f"Soak task {n}", created_by=members[0], assignee=members[1 + n % (team - 1)])
            for n in range(tasks)
        )
        teams.append({"project": project.pk, "members": [u.pk for u in members], "tasks": [t.pk for t in created]})
    return teams


def last_seqs() -> dict[int, int]:
    from apps.notifications.models import NotificationSequence

    return dict(NotificationSequence.objects.values_list("user_id", "last_seq"))


def stored_seqs() -> dict[int, list[int]]:
    from apps.notifications.models import Notification

    seqs: dict[int, list[int]] = {}
    for user_id, seq in Notification.objects.values_list("recipient_id", "seq").iterator():
        seqs.setdefault(user_id, []).append(seq)
    return seqs


def committed_nonces() -> set[str]:
    from apps.tasks.models import TaskActivity

    nonces = set()
    for changes in TaskActivity.objects.filter(changes__has_key="description").values_list("changes", flat=True):
        nonces.add(changes["description"][1])
    return nonces


def usernames(user_ids: list[int]) -> dict[int, str]:
    from apps.accounts.models import User

    return dict(User.objects.filter(pk__in=user_ids).values_list("pk", "username"))


async def read_db(fn, *args):
    """Run a database read in a thread on a fresh connection: the PostgreSQL fault terminates every backend of the
    database, this process's own idle ones included."""

    def fresh(*args):
        from django.db import connections

        connections.close_all()
        try:
            return fn(*args)
        finally:
            connections.close_all()

    return await asyncio.to_thread(fresh, *args)


async def tokens_for(base_url: str, user_ids: list[int]) -> dict[int, str]:
    import httpx

    names = await read_db(usernames, user_ids)
    tokens = {}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for user_id in user_ids:
            response = await client.post("/api/auth/token/", json={"username": names[user_id], "password": PASSWORD})
            response.raise_for_status()
            tokens[user_id] = response.json()["access"]
    return tokens


class Writer:
    """PATCHes at a steady rate; counts answers; remembers the nonce of every 5xx."""

    def __init__(self, urls: list[str], teams: list[dict], tokens: dict[int, str], rate: float):
        self.urls, self.teams, self.tokens, self.rate = urls, teams, tokens, rate
        self.codes: Counter[int] = Counter()
        self.failed_nonces: set[str] = set()  # answered 5xx
        self.unanswered_nonces: set[str] = set()  # no answer within the client's timeout
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()

    async def run(self, until: float) -> None:
        import httpx

        statuses = ["todo", "in_progress", "blocked", "done"]
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=50)) as client:
            pending: set[asyncio.Task] = set()
            next_at = time.monotonic()
            while time.monotonic() < until:
                team = random.choice(self.teams)
                task_id, actor = random.choice(team["tasks"]), random.choice(team["members"])
                body = {"status": random.choice(statuses), "description": f"soak {uuid.uuid4().hex}"}
                task = asyncio.create_task(self._patch(client, task_id, actor, body))
                pending.add(task)
                task.add_done_callback(pending.discard)
                next_at += 1 / self.rate
                await asyncio.sleep(max(0, next_at - time.monotonic()))
            if pending:
                await asyncio.wait(pending)

    async def _patch(self, client, task_id: int, actor: int, body: dict) -> None:
        started = time.monotonic()
        try:
            response = await client.patch(
                f"{random.choice(self.urls)}/api/tasks/{task_id}/",
                json=body,
                headers={"Authorization": f"Bearer {self.tokens[actor]}"},
            )
        except Exception as exc:
            self.errors[type(exc).__name__] += 1
            self.unanswered_nonces.add(body["description"])
            return
        self.latencies.append(time.monotonic() - started)
        self.codes[response.status_code] += 1
        if response.status_code >= 500:
            self.failed_nonces.add(body["description"])


async def run(args: argparse.Namespace, topology, teams: list[dict]) -> dict:
    from apps.realtime.tests.client import ResumingClient

    users = [user for team in teams for user in team["members"]]
    tokens = await tokens_for(topology.web_urls[0], users)
    started_seqs = await read_db(last_seqs)
    sessions = []
    for n in range(args.sockets):
        user = users[n // args.tabs % len(users)]
        client = ResumingClient(
            topology.ws_urls, lambda user=user: tokens[user], held_seq=started_seqs.get(user, 0), ping_every=25
        )
        sessions.append((user, client))
    for _, client in sessions:
        client.start()
        await asyncio.sleep(0.01)
    await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for _, c in sessions)), 120)
    owed_from = {id(c): c.held_seq for _, c in sessions}  # everything numbered after this is owed to the client

    print(f"soak: {len(sessions)} clients ready; writing for {args.minutes} min", flush=True)
    begin = time.monotonic()
    until = begin + args.minutes * 60
    cpu_before, own_before = topology.cpu_seconds(), time.process_time()
    rss: list[tuple[float, list[int]]] = [(0.0, topology.web_rss_kib())]
    drops = 0

    async def dropper() -> None:
        nonlocal drops
        closing: set[asyncio.Task] = set()
        while time.monotonic() < until:
            await asyncio.sleep(random.expovariate(len(sessions) / args.drop_every))
            # Not awaited: a closing handshake with a busy server must not hold back the next drop.
            task = asyncio.create_task(random.choice(sessions)[1].drop())
            closing.add(task)
            task.add_done_callback(closing.discard)
            drops += 1

    async def sampler() -> None:
        while time.monotonic() < until:
            await asyncio.sleep(args.rss_every)
            rss.append((time.monotonic() - begin, topology.web_rss_kib()))

    async def redis_restart() -> None:
        await asyncio.sleep(args.redis_restart_at)
        topology.redis.kill()
        await asyncio.sleep(args.redis_down_for)
        await asyncio.to_thread(topology.redis.start)

    async def pg_terminations() -> int:
        import psycopg

        await asyncio.sleep(args.pg_terminate_at)
        terminated = 0
        stop = time.monotonic() + args.pg_terminate_for
        async with await psycopg.AsyncConnection.connect(f"{args.database_url}/postgres", autocommit=True) as admin:
            while time.monotonic() < stop:
                cursor = await admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    [topology.database],
                )
                terminated += (await cursor.fetchone())[0]
                await asyncio.sleep(args.pg_terminate_every)
        return terminated

    writer = Writer(topology.web_urls, teams, tokens, args.writes)
    jobs = [asyncio.create_task(dropper()), asyncio.create_task(sampler())]
    faults = {}
    if args.redis_restart_at is not None:
        faults["redis"] = asyncio.create_task(redis_restart())
    if args.pg_terminate_at is not None:
        faults["pg"] = asyncio.create_task(pg_terminations())
    await writer.run(until)
    cpu = {kind: spent - cpu_before[kind] for kind, spent in topology.cpu_seconds().items()}
    cpu["soak clients (this process)"] = time.process_time() - own_before
    for job in jobs:
        job.cancel()
    results = {name: await task for name, task in faults.items()}

    # Settle: every client pings (a pong with a higher last_seq makes it resume), until nothing is missing.
    stored = await read_db(stored_seqs)
    last = {user: max(seqs) for user, seqs in stored.items()}
    settle_until = time.monotonic() + args.settle
    while time.monotonic() < settle_until:
        for _, client in sessions:
            await client.sync()
        await asyncio.sleep(2)
        if all(not c.missing(last.get(u, 0), since=owed_from[id(c)]) for u, c in sessions):
            break
    rss.append((time.monotonic() - begin, topology.web_rss_kib()))
    for _, client in sessions:
        await client.stop()

    owed = live = resumed = lost = repeats = 0
    for user, client in sessions:
        since = owed_from[id(client)]
        for seq in (s for s in stored.get(user, []) if s > since):
            owed += 1
            if seq in client.live:
                live += 1
            elif seq in client.resumed:
                resumed += 1
            else:
                lost += 1
        repeats += sum(count - 1 for count in client.received.values())
    nonces = await read_db(committed_nonces)
    return {
        "owed": owed,
        "live": live,
        "resumed": resumed,
        "lost": lost,
        "repeats": repeats,
        "socket_duplicates": sum(c.socket_duplicates for _, c in sessions),
        "reconnects": sum(c.connects - 1 for _, c in sessions),
        "drops": drops,
        "connect_errors": sum((c.errors for _, c in sessions), Counter()),
        "writes": sum(writer.codes.values()),
        "codes": writer.codes,
        "writer_errors": writer.errors,
        "committed_5xx": len(writer.failed_nonces & nonces),
        "committed_unanswered": len(writer.unanswered_nonces & nonces),
        "patch_p50_ms": statistics.median(writer.latencies) * 1000 if writer.latencies else 0,
        "patch_p99_ms": sorted(writer.latencies)[int(len(writer.latencies) * 0.99)] * 1000 if writer.latencies else 0,
        "rss": rss,
        "cpu": cpu,
        "faults": results,
        "seconds": time.monotonic() - begin,
    }


def report(args: argparse.Namespace, figures: dict, log: str) -> str:
    command = " ".join(["DEBUG=1 .venv/bin/python -m bench.soak", *os.sys.argv[1:]])
    fivexx = sum(count for code, count in figures["codes"].items() if code >= 500)
    lines = [
        f"Command: `{command}`  ",
        f"{args.sockets} sockets ({args.tabs} tabs per user, {args.team} users per project) over two web processes; "
        f"{args.writes} PATCH/s for {figures['seconds'] / 60:.1f} min; a drop every {args.drop_every} s per client "
        "on average.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| owed deliveries | {figures['owed']:,} |",
        f"| delivered live | {figures['live']:,} |",
        f"| delivered by resume | {figures['resumed']:,} |",
        f"| **lost** | **{figures['lost']:,}** |",
        f"| duplicates on one socket | {figures['socket_duplicates']:,} |",
        f"| repeats across reconnects (dropped by seq) | {figures['repeats']:,} |",
        f"| reconnects (drops caused: {figures['drops']:,}) | {figures['reconnects']:,} |",
        f"| failed connection attempts | {dict(figures['connect_errors']) or 0} |",
        f"| PATCHes (answers) | {figures['writes']:,} {dict(sorted(figures['codes'].items()))} |",
        f"| 5xx answers / **5xx for committed writes** | {fivexx} / **{figures['committed_5xx']}** |",
        f"| no answer within 30 s (committed anyway) | {sum(figures['writer_errors'].values())} "
        f"({figures['committed_unanswered']}) {dict(figures['writer_errors']) or ''} |",
        f"| PATCH p50 / p99 | {figures['patch_p50_ms']:.0f} / {figures['patch_p99_ms']:.0f} ms |",
        f"| events given up after retries (logged) | {log.count('gave up publishing')} |",
    ]
    if "pg" in figures["faults"]:
        lines.append(f"| PostgreSQL backends terminated | {figures['faults']['pg']:,} |")
    if "redis" in figures["faults"]:
        lines.append(f"| Redis restarted at | {args.redis_restart_at:.0f} s (down {args.redis_down_for:.0f} s) |")
    run_seconds = args.minutes * 60
    lines += ["", "CPU during the writes (share of one core):", "", "| process | CPU |", "|---|---|"]
    lines += [f"| {kind} | {spent / run_seconds:.0%} |" for kind, spent in figures["cpu"].items()]
    lines += ["", "Web process RSS (MiB) over time:", "", "| time | web.1 | web.2 |", "|---|---|---|"]
    for at, sizes in figures["rss"]:
        lines.append(f"| {at / 60:.1f} min | " + " | ".join(f"{kib / 1024:.1f}" for kib in sizes) + " |")
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    database = "taskflow_soak"
    setup_django(args.database_url, database)
    from apps.common.tests.topology import Topology

    users = args.sockets // args.tabs
    workdir = Path(tempfile.mkdtemp(prefix="taskflow-soak-"))
    overrides = {
        "JWT_ACCESS_TOKEN_LIFETIME": str(int(args.minutes * 60 + 3600)),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "NOTIFICATION_EMAIL_GRACE_SECONDS": "60",
        "LOGIN_THROTTLE_CLIENT_RATE": "10000/min",
        "LOGIN_THROTTLE_USERNAME_RATE": "10000/min",
    }
    print(f"soak: workdir {workdir}", flush=True)
    with Topology(workdir, overrides, database=database) as topology:
        teams = seed(users, args.team, args.tasks)
        figures = asyncio.run(run(args, topology, teams))
        log = topology.output()
    print(report(args, figures, log))


if __name__ == "__main__":
    main()
