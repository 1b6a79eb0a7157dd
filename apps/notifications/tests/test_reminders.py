"""Deadline reminders: the window, re-arming, done tasks, catching up, and exactly one under concurrent scans."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from apps.notifications.models import DeadlineReminder, Notification
from apps.notifications.services import deadline_reminders_create
from apps.projects.tests.factories import MembershipFactory
from apps.tasks import services as task_services
from apps.tasks.tests.factories import TaskFactory

NOW = timezone.now().replace(microsecond=0)
H = datetime.timedelta(hours=1)


def reminders():
    return list(Notification.objects.filter(kind="deadline_approaching").values_list("task_id", "recipient_id"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("due_in", "reminded"),
    [
        (H, True),
        (24 * H - datetime.timedelta(seconds=1), True),
        (24 * H, True),
        (24 * H + datetime.timedelta(seconds=1), False),
        (72 * H, False),
        (-H, True),  # fell overdue while the scheduler was down: caught up once
        (-6 * H - datetime.timedelta(seconds=1), False),  # long overdue: no reminder
    ],
)
def test_window_edges(project, member, due_in, reminded):
    task = TaskFactory(project=project, created_by=member, assignee=member, due_at=NOW + due_in)
    assert deadline_reminders_create(now=NOW) == int(reminded)
    assert reminders() == ([(task.id, member.id)] if reminded else [])


@pytest.mark.django_db
def test_reminder_goes_to_the_watchers_who_are_members(project, member):
    assigned = TaskFactory(project=project, created_by=member, assignee=member, due_at=NOW + H)
    unassigned = TaskFactory(project=project, created_by=project.owner, due_at=NOW + H)
    gone = MembershipFactory(project=project).user
    both = TaskFactory(project=project, created_by=project.owner, assignee=gone, due_at=NOW + H)
    task_services.task_update(actor=project.owner, task=both, data={"assignee": None})
    from apps.projects.models import Membership

    Membership.objects.filter(user=gone).delete()  # left: watches no more, by construction
    deadline_reminders_create(now=NOW)
    assert sorted(reminders()) == sorted(
        [(assigned.id, member.id), (unassigned.id, project.owner_id), (both.id, project.owner_id)]
    )
    notification = Notification.objects.get(task=assigned)
    assert notification.actor is None
    assert notification.message == f'"{assigned.title}" is due soon'


@pytest.mark.django_db
def test_done_tasks_and_tasks_without_deadline_are_skipped(project, member):
    TaskFactory(project=project, created_by=member, assignee=member, due_at=NOW + H, status="done")
    TaskFactory(project=project, created_by=member, assignee=member, due_at=None)
    assert deadline_reminders_create(now=NOW) == 0
    assert reminders() == []


@pytest.mark.django_db
def test_repeated_scans_remind_once_and_overdue_tasks_are_not_repeated(project, member):
    TaskFactory(project=project, created_by=member, assignee=member, due_at=NOW + H)
    assert deadline_reminders_create(now=NOW) == 1
    for minutes in (1, 2, 90, 120, 180):  # through the deadline and past it
        assert deadline_reminders_create(now=NOW + datetime.timedelta(minutes=minutes)) == 0
    assert len(reminders()) == 1


@pytest.mark.django_db
def test_changing_due_at_rearms_the_reminder(project, member):
    task = TaskFactory(project=project, created_by=member, assignee=member, due_at=NOW + H)
    deadline_reminders_create(now=NOW)
    task_services.task_update(actor=project.owner, task=task, data={"due_at": NOW + 2 * H})
    assert deadline_reminders_create(now=NOW) == 1
    assert DeadlineReminder.objects.filter(task=task).count() == 2
    assert len(reminders()) == 2


@pytest.mark.django_db
def test_scan_after_downtime_catches_up(project, member):
    tasks = [
        TaskFactory(project=project, created_by=member, assignee=member, due_at=NOW + offset)
        for offset in (-2 * H, H, 5 * H)
    ]
    # The scheduler was down for hours: one scan now reminds every task whose window opened meanwhile.
    assert deadline_reminders_create(now=NOW) == 3
    assert sorted(task_id for task_id, _ in reminders()) == sorted(t.id for t in tasks)


@pytest.mark.django_db
def test_reminders_respect_email_pipeline(project, member, settings):
    TaskFactory(project=project, created_by=member, assignee=member, due_at=NOW + H)
    deadline_reminders_create(now=NOW)
    notification = Notification.objects.get(kind="deadline_approaching")
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert notification.email_due_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_create_one_reminder_each():
    from apps.projects.tests.factories import ProjectFactory

    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    tasks = [TaskFactory(project=project, created_by=member, assignee=member, due_at=NOW + H) for _ in range(20)]
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def scan():
        try:
            barrier.wait(timeout=10)
            counts.append(deadline_reminders_create(now=NOW))
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(counts) == 20
    assert sorted(task_id for task_id, _ in reminders()) == sorted(t.id for t in tasks)
    assert DeadlineReminder.objects.count() == 20
