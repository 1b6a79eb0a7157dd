"""Embedded mode: a Dramatiq worker and the periodic-job scheduler inside the web process.

Without REDIS_URL the broker is Dramatiq's in-memory StubBroker, so jobs can only be consumed in the process that
enqueued them. The server process (Daphne, or `manage.py runserver`) therefore runs one worker of its own. It must
never start under tests (they join the broker themselves) or in other management commands (migrate, shell...), which
would otherwise swallow jobs or never exit.
"""

import logging
import os
import sys
import threading

import dramatiq
from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_worker: dramatiq.Worker | None = None


def is_server_process(argv: list[str]) -> bool:
    """True for `daphne ...` and `manage.py runserver ...`, the processes that serve HTTP."""
    if not argv:
        return False
    program = os.path.basename(argv[0])
    if program == "daphne" or program.startswith("daphne"):
        return True
    return len(argv) > 1 and os.path.basename(argv[0]) == "manage.py" and argv[1] == "runserver"


def should_start(argv: list[str]) -> bool:
    return settings.EMBEDDED_MODE and is_server_process(argv) and "pytest" not in sys.modules


def start_embedded_worker(argv: list[str] | None = None) -> dramatiq.Worker | None:
    """Start the in-process worker and scheduler once per process when this process is an embedded-mode server."""
    global _worker
    if not should_start(sys.argv if argv is None else argv):
        return None
    with _lock:
        if _worker is None:
            _worker = dramatiq.Worker(dramatiq.get_broker(), worker_threads=settings.EMBEDDED_WORKER_THREADS)
            _worker.start()
            logger.info("embedded Dramatiq worker started with %d threads", settings.EMBEDDED_WORKER_THREADS)
            _start_scheduler()
    return _worker


def _start_scheduler() -> None:
    # The actors registered their cron schedules on dramatiq-crontab's scheduler when apps.common autodiscovered
    # them; `manage.py crontab` runs it in its own process in Redis mode, this thread does it here.
    from dramatiq_crontab import scheduler

    threading.Thread(target=scheduler.start, name="embedded-scheduler", daemon=True).start()
    logger.info("embedded scheduler started with %d periodic jobs", len(scheduler.get_jobs()))
