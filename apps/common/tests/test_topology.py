"""The production topology, black-box: the Procfile's processes under honcho (web twice, worker, scheduler) on
PostgreSQL and a redis-server of the test's own, mailing an aiosmtpd sink. Runs in CI's service pass.

What must hold: a reminder and its email exactly once; a change through one web process reaching a socket on the
other; every notification emailed once when the worker is killed in the middle of a send (a resend carries the same
Message-ID); and after a Redis restart the scheduler runs again and sockets resume with nothing missing.
"""

import asyncio
import datetime
import itertools
import re
import time
import uuid

import httpx
import pytest

from apps.common.tests.topology import Topology
from apps.common.tests.utils import wait_for
from apps.realtime.tests.client import ResumingClient

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
PASSWORD = "topology-Passphrase-42"


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    with Topology(tmp_path_factory.mktemp("topology")) as running:
        yield running
        print(running.output()[-20_000:])  # shown when a test failed


class Person:
    """A user of the deployment, through its public API only."""

    _numbers = itertools.count()

    def __init__(self, topology: Topology, name: str, *, web: int = 0):
        self.username = f"{name}{next(self._numbers)}{uuid.uuid4().hex[:6]}"
        self.topology, self.base = topology, topology.web_urls[web]
        body = {"username": self.username, "email": f"{self.username}@example.com", "password": PASSWORD}
        registered = httpx.post(f"{self.base}/api/auth/register/", json=body, timeout=10)
        assert registered.status_code == 202, registered.text
        self.id = None  # the answer does not carry it (it is the same whether or not the address was taken)
        # Notification emails go only to verified addresses: follow the link of the verification email.
        verification = wait_for(lambda: topology.smtp.to(body["email"]), timeout=60, what="the verification email")
        link = re.search(r"/account/verify/\S+/", verification[0].text).group(0)
        assert httpx.get(f"{self.base}{link}", timeout=10).status_code == 200
        response = httpx.post(
            f"{self.base}/api/auth/token/", json={"username": self.username, "password": PASSWORD}, timeout=10
        )
        assert response.status_code == 200, response.text
        self.access = response.json()["access"]  # lives 5 minutes: longer than any test here
        self.client = httpx.Client(base_url=self.base, headers={"Authorization": f"Bearer {self.access}"}, timeout=15)

    def token(self) -> str:
        return self.access

    def call(self, method: str, path: str, body: dict | None = None, expect: int = 200) -> dict:
        response = self.client.request(method, path, json=body)
        assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else {}

    def notifications(self) -> list[dict]:
        return self.call("GET", "/api/notifications/?page_size=200")["results"]


def team(topology: Topology) -> tuple[Person, Person, dict]:
    owner, member = Person(topology, "owner"), Person(topology, "member", web=1)
    project = owner.call("POST", "/api/projects/", {"name": "Ops"}, expect=201)
    added = owner.call("POST", f"/api/projects/{project['id']}/members/", {"username": member.username}, expect=201)
    member.id = added["user"]["id"]
    return owner, member, project


def new_task(owner: Person, project: dict, **fields) -> dict:
    return owner.call("POST", "/api/tasks/", {"project": project["id"], **fields}, expect=201)


async def test_a_change_through_one_web_process_reaches_a_socket_on_the_other(topology):
    owner, member, project = team(topology)
    task = new_task(owner, project, title="Cross the processes", assignee=member.id)
    client = ResumingClient([topology.ws_urls[1]], member.token)
    client.start()
    try:
        await asyncio.wait_for(client.ready.wait(), 20)
        owner.call("PATCH", f"/api/tasks/{task['id']}/", {"status": "in_progress", "version": 1})  # through web.1
        await wait_async(lambda: any(f["type"] == "task.updated" for f in client.frames), "task.updated on web.2")
        await wait_async(lambda: 2 in client.received, "the status notification on web.2")
        assert client.received == {1: 1, 2: 1}  # the assignment (caught up by seq) and the change, once each
        [updated] = [f for f in client.frames if f["type"] == "task.updated"]
        assert (updated["task"]["id"], updated["task"]["status"]) == (task["id"], "in_progress")
    finally:
        await client.stop()


def test_a_task_due_inside_the_window_gets_exactly_one_reminder_and_one_email(topology):
    owner, member, project = team(topology)
    due = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=2)).isoformat()
    task = new_task(owner, project, title="Renew the certificate", assignee=member.id, due_at=due)

    def reminders() -> list[dict]:
        return [n for n in member.notifications() if n["kind"] == "deadline_approaching"]

    [reminder] = wait_for(reminders, timeout=30, what=f"the reminder\n{topology.output()[-5000:]}")
    assert reminder["task"]["id"] == task["id"]
    wait_for(lambda: topology.smtp.for_notification(reminder["id"]), timeout=30, what="the reminder's email")
    time.sleep(4)  # four more scans and two sweeps: still one reminder, still one email
    assert len(reminders()) == 1
    assert len(topology.smtp.for_notification(reminder["id"])) == 1


def test_killing_the_worker_mid_send_still_emails_every_notification_once(topology):
    owner, member, project = team(topology)
    topology.smtp.slow_started.clear()
    new_task(owner, project, title="SLOW: the email a worker dies sending", assignee=member.id)
    assert topology.smtp.slow_started.wait(60), topology.output()[-5000:]
    [job_process] = topology.job_processes()
    topology.kill(job_process)
    for n in range(3):  # more work while the worker is down and starting again
        new_task(owner, project, title=f"After the crash {n}", assignee=member.id)

    expected = {str(n["id"]) for n in member.notifications()}
    assert len(expected) == 4

    def emailed() -> set[str]:
        return {m.notification_id for m in topology.smtp.messages} & expected

    wait_for(lambda: emailed() == expected, timeout=90, what=f"every email\n{topology.output()[-5000:]}")
    assert "worker exited unexpectedly" in topology.output()
    for notification_id in expected:
        sent = topology.smtp.for_notification(int(notification_id))
        assert len({m.message_id for m in sent}) == 1  # a resend is recognisable as the same message
        if "SLOW" not in sent[0].subject:
            assert len(sent) == 1  # only the one in flight at the kill may have gone twice


async def test_after_a_redis_restart_the_scheduler_runs_and_sockets_resume_with_nothing_missing(topology):
    owner, member, project = team(topology)
    task = new_task(owner, project, title="Through the outage", assignee=member.id)
    clients = [ResumingClient([url], member.token, ping_every=2) for url in topology.ws_urls]
    for client in clients:
        client.start()
    try:
        await asyncio.gather(*(asyncio.wait_for(c.ready.wait(), 20) for c in clients))
        topology.redis.kill()
        statuses = ["in_progress", "blocked", "in_progress", "done"]
        for version, status in enumerate(statuses, start=1):  # committed while Redis is down: 2xx, and owed
            owner.call("PATCH", f"/api/tasks/{task['id']}/", {"status": status, "version": version})
        await asyncio.sleep(1)
        topology.redis.start()

        due = (datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)).isoformat()
        reminded = new_task(owner, project, title="Due after the restart", assignee=member.id, due_at=due)
        stored = wait_for(
            lambda: [n for n in member.notifications() if n["kind"] == "deadline_approaching"],
            timeout=60,
            what=f"a reminder from the scheduler after the restart\n{topology.output()[-5000:]}",
        )
        assert stored[0]["task"]["id"] == reminded["id"]
        last_seq = max(n["seq"] for n in member.notifications())
        assert last_seq == 1 + len(statuses) + 2  # assigned, four changes, assigned again, reminded
        for client in clients:
            await wait_async(lambda c=client: not c.missing(last_seq), f"resume on {client.urls[0]}", timeout=60)
            assert client.connects >= 2  # told to reconnect after the restart
            assert max(client.received.values()) == 1  # no duplicate on any socket
    finally:
        for client in clients:
            await client.stop()


async def wait_async(predicate, what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.1)
