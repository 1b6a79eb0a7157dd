"""The Procfile's background processes on their own: the scheduler survives a Redis restart and hands over to a
standby, and the worker is started again when its process is killed."""

import os
import signal
import sys
import time

import pytest
import redis
from django.conf import settings

from apps.common.tests.utils import (
    BASE_DIR,
    RedisServer,
    WorkerProcess,
    child_pids,
    process_alive,
    subprocess_env,
    wait_for,
)
from apps.notifications.models import Notification
from apps.notifications.tests.test_worker_processes import (
    assign_through_api,
    status_of,
    worker_env,
)

pytestmark = [pytest.mark.redis, pytest.mark.slow]


class Scheduler:
    def __init__(self, env: dict[str, str], log_path):
        import subprocess

        self.log_path = log_path
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "scheduler"],
            cwd=BASE_DIR,
            env=env,
            stdout=open(log_path, "w"),  # noqa: SIM115  (the child holds it)
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return self.log_path.read_text()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
        return self.process.wait(timeout=15)


def scans_enqueued(client: redis.Redis) -> int:
    return sum(b"scan_deadlines" in message for message in client.hvals("taskflow:default.msgs"))


def test_the_scheduler_survives_a_redis_restart_and_a_standby_takes_over(tmp_path):
    with RedisServer(tmp_path / "redis.log") as server:
        env = subprocess_env(
            DEBUG="1",
            REDIS_URL=server.url,
            DATABASE_URL=f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            DEADLINE_SCAN_EVERY_SECONDS="1",
            SCHEDULER_LOCK_REFRESH_SECONDS="0.5",
            SCHEDULER_LOCK_TIMEOUT_SECONDS="2",
        )
        client = redis.Redis.from_url(server.url)
        leader = Scheduler(env, tmp_path / "leader.log")
        standby = None
        try:
            wait_for(lambda: scans_enqueued(client) >= 2, timeout=60, what=f"scans\n{leader.output()}")
            standby = Scheduler(env, tmp_path / "standby.log")
            wait_for(lambda: "scheduling scan_deadlines" in standby.output(), timeout=60, what="the standby")
            before, started = scans_enqueued(client), time.monotonic()
            time.sleep(4)
            per_second = (scans_enqueued(client) - before) / (time.monotonic() - started)
            assert per_second < 1.6, "two schedulers enqueued at once"  # one scan a second, by the leader only

            server.kill()  # Redis crashes and comes back empty: the lock is forgotten
            time.sleep(2)
            server.start()
            wait_for(lambda: scans_enqueued(client) >= 2, timeout=30, what=f"scans after restart\n{leader.output()}")
            assert leader.process.poll() is None and standby.process.poll() is None
            assert "lost the scheduler lock" in leader.output() + standby.output()

            holder = leader if "now enqueues" in leader.output().rsplit("lost the scheduler lock", 1)[-1] else standby
            other = standby if holder is leader else leader
            assert holder.stop() == 0  # a clean stop releases the lock...
            client.delete("taskflow:default.msgs", "taskflow:default")
            wait_for(lambda: scans_enqueued(client) >= 2, timeout=30, what=f"the takeover\n{other.output()}")
        finally:
            for process in (leader, standby):
                if process is not None:
                    process.stop()
            client.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_command_starts_the_worker_again_when_its_process_is_killed(redis_jobs, make_client, tmp_path):
    mail_dir = tmp_path / "mail"
    supervisor = WorkerProcess(worker_env(mail_dir), tmp_path / "worker.log", command="worker")
    try:
        # worker -> dramatiq's main process (rundramatiq execs it) -> the worker process that runs jobs
        wait_for(lambda: "ready for action" in supervisor.output(), timeout=90, what="the worker to boot")
        [main] = child_pids(supervisor.process.pid)
        [job_runner] = child_pids(main)
        os.kill(job_runner, signal.SIGKILL)
        wait_for(lambda: not process_alive(main), timeout=30, what="dramatiq's main process to give up")
        restarted = wait_for(
            lambda: [pid for pid in child_pids(supervisor.process.pid) if pid != main],
            timeout=60,
            what=f"a new worker\n{supervisor.output()}",
        )
        assert restarted and supervisor.process.poll() is None
        notification = assign_through_api(make_client)
        wait_for(
            lambda: status_of(notification) == Notification.EmailStatus.SENT,
            timeout=60,
            what=f"the email\n{supervisor.output()}",
        )
        assert "worker exited unexpectedly" in supervisor.output()
    finally:
        supervisor.stop()
    assert supervisor.process.returncode == 0  # SIGTERM is a clean stop, not a crash
    assert settings.REDIS_URL
