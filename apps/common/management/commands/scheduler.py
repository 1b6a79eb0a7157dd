"""`manage.py scheduler`: enqueue the periodic jobs (deadline scan, email sweeper) from one process at a time.

The schedules are dramatiq-crontab's (`@interval` on the actors). As with its `crontab` command, a Redis lock (the same
key) elects the one scheduler that enqueues, so a second one is a hot standby. Unlike `crontab`, which exits (with
status 0) when its lock is lost, this one survives a Redis restart: the leader extends its lock every few seconds, and
when that fails (Redis restarted and forgot the lock, or is unreachable) it stops enqueuing and keeps trying to win the
lock back. SIGTERM or SIGINT release the lock, so a standby takes over at once.
"""

import contextlib
import logging
import signal

import redis
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from dramatiq_crontab import conf, scheduler
from redis.exceptions import LockError

logger = logging.getLogger("taskflow.scheduler")

LOCK_KEY = "dramatiq-scheduler"  # dramatiq-crontab's: a `crontab` and a `scheduler` never lead together


class Leadership:
    """Whether this process holds the scheduler lock; refreshed by a job of the scheduler itself."""

    def __init__(self, client: redis.Redis, *, ttl: float):
        self.ttl = ttl
        self.lock = client.lock(LOCK_KEY, timeout=ttl, thread_local=False)
        self.leading = False

    def refresh(self) -> None:
        try:
            if self.leading:
                self.lock.extend(self.ttl, replace_ttl=True)
            elif self.lock.acquire(blocking=False):
                self.leading = True
                logger.info("this scheduler now enqueues the periodic jobs")
        except (LockError, redis.RedisError) as exc:
            if self.leading:
                logger.warning("lost the scheduler lock (%s); trying to win it back", exc)
            self.leading = False

    def gate(self, send):
        def send_if_leading(*args, **kwargs):
            if self.leading:
                return send(*args, **kwargs)
            return None

        return send_if_leading

    def release(self) -> None:
        if self.leading:
            with contextlib.suppress(LockError, redis.RedisError):  # else it expires by itself
                self.lock.release()
            self.leading = False


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def handle(self, *args, **options) -> None:
        if settings.EMBEDDED_MODE:
            raise CommandError("REDIS_URL is not set: in embedded mode the web process runs the scheduler itself.")
        lock_settings = conf.get_settings()
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
        leadership = Leadership(client, ttl=lock_settings.LOCK_TIMEOUT)
        for job in scheduler.get_jobs():
            job.modify(func=leadership.gate(job.func))
            logger.info("scheduling %s (%s)", job.name, job.trigger)
        scheduler.add_job(
            leadership.refresh,
            IntervalTrigger(seconds=lock_settings.LOCK_REFRESH_INTERVAL),
            name="scheduler-lock",
            max_instances=1,
            coalesce=True,
        )
        leadership.refresh()  # lead from the start when nobody else does

        def stop(signum: int, frame) -> None:
            if scheduler.running:
                scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            scheduler.start()  # blocks until stop()
        finally:
            leadership.release()
            logger.info("scheduler stopped")
