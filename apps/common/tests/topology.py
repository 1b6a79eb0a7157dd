"""TaskFlow in its production shape, for black-box tests and the soak: the Procfile's processes under honcho, web twice
on two ports, on a PostgreSQL database and a redis-server of their own, mailing an SMTP sink.

    with Topology(workdir, env_overrides) as topology:
        topology.web_urls, topology.ws_urls, topology.smtp.messages, topology.redis.kill() / .start(), ...
"""

import asyncio
import contextlib
import email
import email.policy
import os
import signal
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
from aiosmtpd.controller import Controller
from honcho.environ import parse_procfile

from apps.common.tests.utils import BASE_DIR, VENV_BIN, RedisServer, child_pids, free_port, process_alive, wait_for


@dataclass
class Received:
    message_id: str
    notification_id: str
    to: str
    subject: str
    text: str = ""


class SmtpSink:
    """An SMTP server that keeps what it is sent. A message whose subject contains `slow_marker` is answered only
    after `slow_seconds` the first time its Message-ID is seen: a send to kill a worker in the middle of."""

    def __init__(self, *, slow_marker: str = "SLOW", slow_seconds: float = 30):
        self.messages: list[Received] = []
        self.slow_marker, self.slow_seconds = slow_marker, slow_seconds
        self.slow_started = threading.Event()
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        received = Received(
            message_id=str(message["Message-ID"]),
            notification_id=str(message["X-TaskFlow-Notification"]),
            to=",".join(envelope.rcpt_tos),
            subject=str(message["Subject"]),
            text=(body.get_content() if (body := message.get_body(preferencelist=("plain",))) else ""),
        )
        with self._lock:
            first_time = all(m.message_id != received.message_id for m in self.messages)
            self.messages.append(received)
        if self.slow_marker in received.subject and first_time:
            self.slow_started.set()
            await asyncio.sleep(self.slow_seconds)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        with self._lock:
            return [m for m in self.messages if m.to == address]

    def for_notification(self, notification_id: int) -> list[Received]:
        with self._lock:
            return [m for m in self.messages if m.notification_id == str(notification_id)]

    def __enter__(self) -> "SmtpSink":
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()


@dataclass
class Topology:
    workdir: Path
    overrides: dict[str, str] = field(default_factory=dict)
    database: str = "taskflow_topology"

    def __post_init__(self) -> None:
        self.redis = RedisServer(self.workdir / "redis.log")
        self.smtp = SmtpSink()
        self.log_path = self.workdir / "honcho.log"
        self.base_port = _two_free_ports()
        self.web_urls = [f"http://127.0.0.1:{self.base_port + i}" for i in (0, 1)]
        self.ws_urls = [url.replace("http", "ws") + "/ws/" for url in self.web_urls]
        self.honcho: subprocess.Popen | None = None

    # --- lifecycle ----------------------------------------------------------------------------------------------------
    def __enter__(self) -> "Topology":
        self.redis.start()
        self.smtp.__enter__()
        _recreate_database(self.database)
        try:
            self.release()
            self.start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
        self.smtp.__exit__()
        self.redis.kill()
        with contextlib.suppress(Exception):
            _drop_database(self.database)

    @property
    def env(self) -> dict[str, str]:
        from apps.common.tests.utils import subprocess_env

        settings = {
            # Production settings (DEBUG off), served over plain HTTP on loopback.
            "DEBUG": "0",
            "SECRET_KEY": "topology-test-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_PROXY_SSL_HEADER": "0",
            "DATABASE_URL": f"{_server_url()}/{self.database}",
            "REDIS_URL": self.redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.port}",
            "EMAIL_TIMEOUT": "60",
            "SITE_URL": self.web_urls[0],
            "STATIC_ROOT": str(self.workdir / "staticfiles"),
            "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "INFO",  # the readiness checks read the processes' own lines
            "TASKFLOW_REQUIRE_SERVICES": None,
            # Faster clocks than production, so that a test sees in seconds what takes minutes there.
            "NOTIFICATION_EMAIL_GRACE_SECONDS": "0",
            "NOTIFICATION_EMAIL_CLAIM_TIMEOUT": "5",
            "NOTIFICATION_EMAIL_SWEEP_AFTER": "5",
            "NOTIFICATION_EMAIL_SWEEP_EVERY_SECONDS": "2",
            "NOTIFICATION_EMAIL_MIN_BACKOFF_MS": "500",
            "DEADLINE_SCAN_EVERY_SECONDS": "1",
            "SCHEDULER_LOCK_REFRESH_SECONDS": "0.5",
            "SCHEDULER_LOCK_TIMEOUT_SECONDS": "2",
            "REALTIME_REDIS_CHECK_SECONDS": "0.5",
        }
        return subprocess_env(**{**settings, **self.overrides})

    def release(self) -> None:
        """The build's collectstatic (Heroku's buildpack and the Dockerfile run it), then the Procfile's `release`
        command, as the platform runs them before a deploy."""
        build = subprocess.run(
            [str(VENV_BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert build.returncode == 0, build.stdout + build.stderr
        command = parse_procfile((BASE_DIR / "Procfile").read_text()).processes["release"]
        result = subprocess.run(  # noqa: S602  (the Procfile's own command line, as honcho runs it)
            command, shell=True, cwd=BASE_DIR, env=self.env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr

    def start(self) -> None:
        self.honcho = subprocess.Popen(
            [
                *(str(VENV_BIN / "honcho"), "--no-colour", "-f", "Procfile", "start"),
                *("-p", str(self.base_port), "-c", "web=2", "web", "worker", "scheduler"),
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=open(self.log_path, "a"),  # noqa: SIM115  (the child holds it)
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for url in self.web_urls:
            wait_for(lambda url=url: _healthy(url), timeout=120, what=f"{url}/healthz\n{self.output()}")
        wait_for(lambda: "ready for action" in self.output(), timeout=120, what=f"the worker\n{self.output()}")
        wait_for(lambda: "now enqueues" in self.output(), timeout=120, what=f"the scheduler\n{self.output()}")

    def stop(self) -> None:
        if self.honcho is None or self.honcho.poll() is not None:
            return
        self.honcho.send_signal(signal.SIGTERM)  # honcho stops every process it started
        try:
            self.honcho.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.honcho.pid, signal.SIGKILL)
            self.honcho.wait(timeout=10)

    def output(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    # --- the processes ------------------------------------------------------------------------------------------------
    def processes(self, needle: str) -> list[int]:
        """Pids of the processes under honcho whose command line contains `needle`."""
        found, stack = [], [self.honcho.pid]
        while stack:
            pid = stack.pop()
            stack.extend(child_pids(pid))
            if needle in _cmdline(pid):
                found.append(pid)
        return sorted(pid for pid in found if process_alive(pid))

    def job_processes(self) -> list[int]:
        """Dramatiq's worker processes (forked children of its main process), the ones that run jobs."""
        dramatiq = set(self.processes("dramatiq --path"))
        return [pid for pid in dramatiq if _parent(pid) in dramatiq]

    @staticmethod
    def kill(pid: int) -> None:
        os.kill(pid, signal.SIGKILL)

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time (user + system) so far of each kind of process: web (both), worker (its whole tree), scheduler,
        redis and every PostgreSQL backend of the database's server."""
        web = [pid for pid in self.processes("daphne") if not _cmdline(pid).startswith("/bin/sh")]
        worker = self.processes("manage.py worker") + self.processes("dramatiq --path")
        scheduler = self.processes("manage.py scheduler")
        # The postmaster's children's time (cutime, cstime) counts the per-connection backends that already exited.
        postgres = [pid for pid in _all_pids() if Path(_cmdline(pid).split(" ", 1)[0]).name.startswith("postgres")]
        return {
            "web": sum(map(_cpu_seconds, web)),
            "worker": sum(map(_cpu_seconds, set(worker))),
            "scheduler": sum(map(_cpu_seconds, scheduler)),
            "redis": _cpu_seconds(self.redis.process.pid) if self.redis.process else 0.0,
            "postgres": sum(map(_cpu_seconds, postgres)),
        }

    def web_rss_kib(self) -> list[int]:
        """RSS of the Daphne processes (not of the shells honcho starts them with)."""
        return [_rss_kib(pid) for pid in self.processes("daphne") if not _cmdline(pid).startswith("/bin/sh")]


def _all_pids() -> list[int]:
    return [int(path.name) for path in Path("/proc").iterdir() if path.name.isdigit()]


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a live process (and of its reaped children), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def _parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _two_free_ports() -> int:
    """A port whose next one is free too (honcho gives web.2 the port after web.1's)."""
    for _ in range(50):
        port = free_port()
        with contextlib.suppress(OSError):
            import socket

            with socket.socket() as probe:
                probe.bind(("127.0.0.1", port + 1))
            return port
    raise RuntimeError("no two consecutive free ports")


def _server_url() -> str:
    """The PostgreSQL server the tests use (DATABASE_URL), without a database name."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


def _admin_connection() -> psycopg.Connection:
    return psycopg.connect(f"{_server_url()}/postgres", autocommit=True)


def _recreate_database(name: str) -> None:
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _drop_database(name: str) -> None:
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
