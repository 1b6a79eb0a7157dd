"""`manage.py worker [--processes N] [--threads N] [--queues Q ...]`: the Dramatiq worker, started again if it dies.

Dramatiq's main process stops all its worker processes and exits as soon as one of them dies (a kill -9, the kernel's
OOM killer). Under a process manager that does not restart processes (honcho, `make worker`) the worker would then
be gone for good, and under one that does (Heroku, docker-compose's `restart:`) it would take every sibling down with
it. This command runs `manage.py rundramatiq` as a child and starts it again after an unexpected exit, backing off;
jobs a dead worker held are redelivered by the broker, and notification emails are taken over by the sweeper.

A crash loop (more than MAX_RESTARTS in RESTART_WINDOW seconds) ends this command with the child's exit code, so that
the process manager above sees a broken deployment instead of a silent loop.

Stopping: SIGTERM and SIGINT are passed on to the worker once, which finishes its current jobs; then this command exits
with the worker's code. The worker runs in a session of its own because process managers signal whole process groups
(honcho, Heroku): Dramatiq's job processes would get SIGTERM twice (from the group and from Dramatiq's main process)
and take the second as "kill now". On Linux the worker is also told to stop if this command dies, even by SIGKILL.
"""

import argparse
import ctypes
import ctypes.util
import logging
import signal
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

logger = logging.getLogger("taskflow.worker")

MAX_RESTARTS = 5
RESTART_WINDOW = 60.0
FIRST_BACKOFF, MAX_BACKOFF = 0.5, 10.0


def _stop_with_parent() -> None:
    """In the child before exec: SIGTERM when the parent dies (Linux prctl PR_SET_PDEATHSIG; elsewhere a no-op)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        # Passed on to rundramatiq.
        parser.add_argument("--processes", type=int, default=1, help="worker processes")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
        parser.add_argument("--queues", nargs="*", default=[], help="only these queues (default: all)")

    def handle(self, *args, processes: int, threads: int, queues: list[str], **options) -> None:
        command = [
            *(sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "rundramatiq"),
            *("--processes", str(processes), "--threads", str(threads)),
            *(("--queues", *queues) if queues else ()),
        ]
        stopping = False
        child: subprocess.Popen | None = None

        def stop(signum: int, frame) -> None:
            nonlocal stopping
            stopping = True
            if child is not None and child.poll() is None:
                child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        restarts: deque[float] = deque()
        backoff = FIRST_BACKOFF
        while True:
            started = time.monotonic()
            child = subprocess.Popen(  # noqa: S603  (our own manage.py, no shell)
                command, start_new_session=True, preexec_fn=_stop_with_parent
            )
            logger.info("worker started (pid %d)", child.pid)
            code = child.wait()
            if stopping:
                sys.exit(code)
            now = time.monotonic()
            restarts.append(now)
            while restarts and restarts[0] < now - RESTART_WINDOW:
                restarts.popleft()
            if len(restarts) > MAX_RESTARTS:
                logger.error("worker keeps dying (%d exits in %.0f s); giving up", len(restarts), RESTART_WINDOW)
                sys.exit(code or 1)
            backoff = FIRST_BACKOFF if now - started > RESTART_WINDOW else min(backoff * 2, MAX_BACKOFF)
            logger.warning("worker exited unexpectedly (code %s); starting it again in %.1f s", code, backoff)
            time.sleep(backoff)
            if stopping:
                sys.exit(code)
