"""Who is notified of what (API.md, "Notifications"), through the services and their transaction."""

import pytest

from apps.accounts.tests.factories import UserFactory
from apps.notifications.models import Notification
from apps.projects.tests.factories import MembershipFactory
from apps.tasks import services
from apps.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def kinds_by_recipient():
    return sorted((n.recipient.username, n.kind) for n in Notification.objects.select_related("recipient"))


def test_assignment_notifies_the_new_assignee_only(project, member):
    task = TaskFactory(project=project)
    services.task_update(actor=project.owner, task=task, data={"assignee": member})
    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.kind, notification.actor, notification.task) == (
        member,
        "task_assigned",
        project.owner,
        task,
    )
    assert notification.message == f'{project.owner.username} assigned you "{task.title}"'


def test_nobody_is_notified_of_their_own_action(project, member):
    own = services.task_create(actor=member, project=project, title="mine", assignee=member)
    services.task_update(actor=member, task=own, data={"status": "in_progress"})
    created_by_owner = TaskFactory(project=project, created_by=project.owner, assignee=project.owner)
    services.task_update(actor=project.owner, task=created_by_owner, data={"status": "done"})
    assert kinds_by_recipient() == []
    # The same kind of change by someone else is heard.
    services.task_update(actor=project.owner, task=own, data={"status": "done"})
    assert kinds_by_recipient() == [(member.username, "task_status_changed")]


def test_status_change_notifies_assignee_and_creator_once_each(project, member):
    third = MembershipFactory(project=project).user
    task = TaskFactory(project=project, created_by=project.owner, assignee=member)
    services.task_update(actor=third, task=task, data={"status": "blocked"})
    assert kinds_by_recipient() == sorted(
        [(project.owner.username, "task_status_changed"), (member.username, "task_status_changed")]
    )
    message = Notification.objects.first().message
    assert message == f'{third.username} moved "{task.title}" from To do to Blocked'


def test_status_change_notifies_once_when_assignee_is_creator(project, member):
    task = TaskFactory(project=project, created_by=member, assignee=member)
    services.task_update(actor=project.owner, task=task, data={"status": "done"})
    assert kinds_by_recipient() == [(member.username, "task_status_changed")]


def test_status_and_assignment_together(project, member):
    task = TaskFactory(project=project, created_by=project.owner)
    services.task_update(actor=project.owner, task=task, data={"status": "in_progress", "assignee": member})
    # The creator acted; the new assignee hears of both the assignment and the move.
    assert kinds_by_recipient() == sorted(
        [(member.username, "task_assigned"), (member.username, "task_status_changed")]
    )


def test_creation_with_assignee_notifies_but_creation_status_does_not(project, member):
    services.task_create(actor=project.owner, project=project, title="t", status="in_progress", assignee=member)
    assert kinds_by_recipient() == [(member.username, "task_assigned")]


def test_notifications_roll_back_with_the_task_change(project, member):
    from django.db import transaction

    task = TaskFactory(project=project)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.task_update(actor=project.owner, task=task, data={"assignee": member})
        raise RuntimeError
    assert not Notification.objects.exists()


def test_unassignment_notifies_nobody(project, member):
    task = TaskFactory(project=project, assignee=member)
    services.task_update(actor=project.owner, task=task, data={"assignee": None})
    assert not Notification.objects.exists()


def test_other_users_are_never_notified(project, member):
    UserFactory()
    task = TaskFactory(project=project, assignee=member)
    services.task_update(actor=project.owner, task=task, data={"status": "done"})
    assert {n.recipient_id for n in Notification.objects.all()} == {member.id}
