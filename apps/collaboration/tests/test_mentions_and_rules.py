"""Mentions and the watcher rules: who hears of comments, mentions, status changes; removed members hear nothing."""

import pytest

from apps.accounts.tests.factories import UserFactory
from apps.collaboration import services
from apps.collaboration.mentions import mentioned_names
from apps.collaboration.models import Watcher
from apps.notifications.models import Notification
from apps.projects.models import Membership
from apps.projects.tests.factories import MembershipFactory
from apps.tasks import services as task_services
from apps.tasks.tests.factories import TaskFactory
from conftest import client_for

pytestmark = pytest.mark.django_db


def heard():
    return sorted((n.recipient.username, n.kind) for n in Notification.objects.select_related("recipient"))


def test_mentioned_names():
    assert mentioned_names("hi @Bob, @carol. and @bob again; mail a@b.c `@dave-`") == ["bob", "carol", "dave"]
    assert mentioned_names("no mentions here") == []


def test_comment_notifies_watchers_and_mentions_once_each(project, member):
    third = MembershipFactory(project=project).user
    task = TaskFactory(project=project, created_by=project.owner, assignee=member)
    services.comment_create(actor=third, task=task, body=f"@{member.username} and @{member.username.upper()} look")
    # The mentioned assignee hears `mentioned` only; the creator, a watcher, hears the comment; the author nothing.
    assert heard() == sorted([(member.username, "mentioned"), (project.owner.username, "comment_added")])
    mention = Notification.objects.get(kind="mentioned")
    assert mention.message == f'{third.username} mentioned you in a comment on "{task.title}"'
    assert Watcher.objects.filter(task=task, user=third).exists()


def test_author_is_never_notified_of_own_mention(project, member):
    task = TaskFactory(project=project, created_by=member)
    services.comment_create(actor=member, task=task, body=f"note to self @{member.username}")
    assert heard() == []


def test_non_member_mention_notifies_nobody_and_reveals_nothing(project, member, make_client):
    outsider = UserFactory(username="outsider")
    task = TaskFactory(project=project, created_by=project.owner)
    response = make_client(member).post(
        f"/api/tasks/{task.id}/comments/", {"body": "ping @outsider and @nosuchuser"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["mentions"] == []
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert heard() == [(project.owner.username, "comment_added")]


def test_edit_notifies_only_newly_added_mentions(project, member):
    third = MembershipFactory(project=project).user
    task = TaskFactory(project=project, created_by=project.owner)
    comment = services.comment_create(actor=project.owner, task=task, body=f"@{member.username}")
    services.comment_update(actor=project.owner, comment=comment, body=f"@{member.username} @{third.username}")
    services.comment_update(actor=project.owner, comment=comment, body=f"@{third.username} @{member.username}!")
    assert heard() == sorted([(member.username, "mentioned"), (third.username, "mentioned")])
    # An edit adds no comment_added for the watchers.
    assert not Notification.objects.filter(kind="comment_added").exists()


def test_description_mentions_on_create_and_update(project, member):
    third = MembershipFactory(project=project).user
    task = task_services.task_create(
        actor=project.owner, project=project, title="t", description=f"for @{member.username}"
    )
    task = task_services.task_update(
        actor=project.owner, task=task, data={"description": f"for @{member.username} and @{third.username}"}
    )
    assert heard() == sorted([(member.username, "mentioned"), (third.username, "mentioned")])
    assert set(Watcher.objects.filter(task=task).values_list("user_id", flat=True)) == {
        project.owner.id,
        member.id,
        third.id,
    }


def test_status_change_notifies_watching_members_except_actor(project, member):
    watcher = MembershipFactory(project=project).user
    task = TaskFactory(project=project, created_by=project.owner, assignee=member)
    services.watcher_add(user=watcher, task=task)
    task_services.task_update(actor=member, task=task, data={"status": "done"})
    assert heard() == sorted(
        [(project.owner.username, "task_status_changed"), (watcher.username, "task_status_changed")]
    )


def test_unwatching_stops_status_notifications(project, member):
    task = TaskFactory(project=project, created_by=project.owner, assignee=member)
    services.watcher_remove(user=project.owner, task=task)
    task_services.task_update(actor=member, task=task, data={"status": "done"})
    assert heard() == []


def test_a_creator_who_left_hears_nothing_and_keeps_only_old_titles(project, member, make_client):
    leaver = MembershipFactory(project=project).user
    task = task_services.task_create(actor=leaver, project=project, title="Old title", assignee=member)
    services.comment_create(actor=member, task=task, body="first")  # leaver hears comment_added
    assert (leaver.username, "comment_added") in heard()
    Membership.objects.filter(project=project, user=leaver).delete()
    task_services.task_update(actor=member, task=task, data={"status": "done", "title": "Secret new title"})
    services.comment_create(actor=member, task=task, body=f"@{leaver.username} are you there?")
    assert not Notification.objects.filter(recipient=leaver).exclude(kind="comment_added").exists()
    assert Notification.objects.filter(recipient=leaver).count() == 1
    # Their old notification shows the title as it was, never the current one.
    listed = client_for(leaver).get("/api/notifications/").json()["results"]
    assert [n["task"]["title"] for n in listed] == ["Old title"]
    assert "Secret" not in str(listed)


def test_assignment_still_goes_to_the_new_assignee(project, member):
    task = TaskFactory(project=project, created_by=project.owner)
    task_services.task_update(actor=project.owner, task=task, data={"assignee": member})
    assert heard() == [(member.username, "task_assigned")]
    assert Watcher.objects.filter(task=task, user=member).exists()
