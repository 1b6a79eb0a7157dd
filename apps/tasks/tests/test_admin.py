"""The admin goes through the services: activity is recorded and events are emitted as through the API."""

import pytest
from django.contrib.auth import get_user_model

from apps.projects.models import Membership
from apps.projects.tests.factories import MembershipFactory
from apps.tasks.models import Task, TaskActivity
from apps.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "admin-pass-123")
    client.force_login(admin)
    client.admin = admin
    return client


def inline_management(prefix: str = "activity") -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_data(task: Task, **changes) -> dict:
    data = {
        "title": task.title,
        "description": task.description,
        "status": task.status,
        "priority": task.priority,
        "due_at_0": "",
        "due_at_1": "",
        "assignee": task.assignee_id or "",
        **inline_management(),
    }
    data.update(changes)
    return data


def test_admin_change_records_activity_and_emits(
    admin_client, project, member, events, django_capture_on_commit_callbacks
):
    task = TaskFactory(project=project)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/tasks/task/{task.id}/change/", form_data(task, status="done", assignee=member.id)
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert (task.status, task.assignee_id, task.version) == ("done", member.id, 2)
    assert task.completed_at is not None
    activity = TaskActivity.objects.get(task=task)
    assert activity.actor == admin_client.admin
    assert activity.changes == {"status": ["todo", "done"], "assignee": [None, member.id]}
    assert [e["type"] for g, e in events if g.startswith("project.")] == ["task.updated"]
    # The assignment reached the new assignee like through the API.
    assert [e["type"] for g, e in events if g == f"user.{member.id}"][:1] == ["notification"]


def test_admin_add_goes_through_task_create(admin_client, project, events, django_capture_on_commit_callbacks):
    data = {
        "project": project.id,
        "title": "From the admin",
        "description": "",
        "status": "todo",
        "priority": "high",
        "due_at_0": "",
        "due_at_1": "",
        "assignee": "",
        **inline_management(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/tasks/task/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    task = Task.objects.get(title="From the admin")
    assert task.activity.get().kind == "created"
    assert [e["type"] for g, e in events if g.startswith("project.")] == ["task.created"]


def test_admin_rejects_non_member_assignee_with_a_form_error(admin_client, project):
    task = TaskFactory(project=project)
    outsider = get_user_model().objects.create_user("outsider", "o@example.com", "pw-123456789")
    response = admin_client.post(f"/admin/tasks/task/{task.id}/change/", form_data(task, assignee=outsider.id))
    assert response.status_code == 200
    assert "must be a member" in response.content.decode()
    task.refresh_from_db()
    assert task.assignee is None


def test_admin_pages_render(admin_client, project):
    task = TaskFactory(project=project)
    MembershipFactory(project=project)
    for url in (
        "/admin/tasks/task/",
        f"/admin/tasks/task/{task.id}/change/",
        "/admin/projects/project/",
        f"/admin/projects/project/{project.id}/change/",
        "/admin/projects/membership/",
        "/admin/tasks/task/?status__exact=todo&q=Task",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_admin_cannot_demote_the_last_owner(admin_client, project):
    membership = Membership.objects.get(project=project, role="owner")
    response = admin_client.post(f"/admin/projects/membership/{membership.id}/change/", {"role": "member"})
    assert response.status_code == 200
    assert "last owner" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "owner"
