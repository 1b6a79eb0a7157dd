"""Concurrent writers on the configured database (a real file in SQLite mode): nobody gets "database is locked".

SQLite with its default deferred transactions lets each writer read first and then try to upgrade to a write lock;
when another writer holds it, SQLite answers SQLITE_BUSY at once instead of waiting (waiting could deadlock), so most
of 50 concurrent PATCHes failed. `transaction_mode: IMMEDIATE` takes the write lock at BEGIN, where the busy timeout
does apply, and WAL lets readers go on meanwhile. On PostgreSQL the same test checks the row locks.
"""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from apps.notifications.models import Notification
from apps.notifications.services import deadline_reminders_create
from apps.projects.tests.factories import MembershipFactory
from apps.tasks import services as task_services
from apps.tasks.models import Task
from apps.tasks.tests.factories import TaskFactory

WRITERS = 50


def _run_together(jobs: list, timeout: float = 120) -> list:
    """Run each job on its own thread (own database connection), all released at once; return their results."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index: int, job) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as exc:  # reported by the assertion, with the job index
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, job)) for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_patches_and_background_jobs_all_succeed(make_client, project):
    soon = timezone.now() + datetime.timedelta(hours=2)
    assignee = MembershipFactory(project=project).user
    task = TaskFactory(project=project, assignee=assignee, due_at=soon)
    for _ in range(5):  # work for the deadline scans: each reminder is a transaction writing three rows
        TaskFactory(project=project, assignee=assignee, due_at=soon)
    client = make_client(project.owner)
    priorities = [Task.Priority.LOW, Task.Priority.MEDIUM, Task.Priority.HIGH]

    def patch(n: int):
        def job():
            body = {"priority": priorities[n % 3], "description": f"edit {n}"}
            return client.patch(f"/api/tasks/{task.id}/", body, format="json").status_code

        return job

    def scan():
        return deadline_reminders_create()

    def suggest():
        # The background job's write: it stores a suggestion only while the title reads as computed.
        task_services.task_set_suggested_priority(
            task_id=task.id,
            suggestion={"priority": "high", "confidence": 0.9, "cues": []},
            for_title=task.title,
            for_description=Task.objects.get(pk=task.id).description,
            for_due_at=soon,
        )
        return "ok"

    jobs = [patch(n) for n in range(WRITERS)] + [scan] * 4 + [suggest] * 4
    results = _run_together(jobs)

    failures = [(index, result) for index, result in enumerate(results) if isinstance(result, Exception)]
    assert failures == [], failures
    assert results[:WRITERS] == [200] * WRITERS
    assert results[WRITERS + 4 :] == ["ok"] * 4
    stored = Task.objects.get(pk=task.pk)
    assert stored.version == 1 + WRITERS  # every PATCH changed the description: one version each
    # The scans together reminded every task exactly once.
    assert sum(results[WRITERS : WRITERS + 4]) == 6
    # Each task's watchers who are members (its creator and its assignee) were reminded once each, nobody twice.
    reminded = list(Notification.objects.filter(kind="deadline_approaching").values_list("task_id", "recipient_id"))
    assert len(reminded) == len(set(reminded))
    assert {task_id for task_id, _ in reminded} == set(
        Task.objects.filter(project=project).values_list("id", flat=True)
    )
    assert {recipient for _, recipient in reminded} == {assignee.pk, project.owner.pk}
