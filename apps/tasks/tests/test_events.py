"""Task events leave only after commit, carry the committed task, and never leave on rollback."""

import pytest
from django.db import transaction

from apps.tasks import services
from apps.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_create_emits_task_created_after_commit(django_capture_on_commit_callbacks, events, user, project):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        task = services.task_create(actor=user, project=project, title="Ship it")
    assert events == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert len(events) == 1
    group, event = events[0]
    assert group == f"project.{project.id}"
    assert event["type"] == "task.created"
    assert event["project"] == project.id
    assert event["task"]["id"] == task.id
    assert event["task"]["title"] == "Ship it"


def test_update_emits_task_updated_with_new_version(django_capture_on_commit_callbacks, events, user, project):
    task = TaskFactory(project=project)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_update(actor=user, task=task, data={"status": "done"})
    [(group, event)] = events
    assert (group, event["type"]) == (f"project.{project.id}", "task.updated")
    assert event["task"]["status"] == "done"
    assert event["task"]["version"] == 2


def test_delete_emits_task_deleted(django_capture_on_commit_callbacks, events, user, project):
    task = TaskFactory(project=project)
    task_id = task.id
    with django_capture_on_commit_callbacks(execute=True):
        services.task_delete(actor=user, task=task)
    assert events == [
        (f"project.{project.id}", {"type": "task.deleted", "project": project.id, "task": {"id": task_id}})
    ]


def test_no_event_when_the_transaction_rolls_back(django_capture_on_commit_callbacks, events, user, project):
    task = TaskFactory(project=project)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.task_create(actor=user, project=project, title="doomed")
        services.task_update(actor=user, task=task, data={"title": "doomed too"})
        raise RuntimeError("roll back")
    assert callbacks == []
    assert events == []
    task.refresh_from_db()
    assert task.title != "doomed too"


def test_no_event_for_a_change_that_changes_nothing(django_capture_on_commit_callbacks, events, user, project):
    task = TaskFactory(project=project, title="same")
    with django_capture_on_commit_callbacks(execute=True):
        services.task_update(actor=user, task=task, data={"title": "same"})
    assert events == []


def test_api_patch_emits_after_commit(django_capture_on_commit_callbacks, events, auth_client, project):
    task = TaskFactory(project=project)
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.patch(f"/api/tasks/{task.id}/", {"priority": "high"}, format="json")
    assert response.status_code == 200
    assert [e["type"] for _, e in events] == ["task.updated"]


def test_failed_validation_emits_nothing(django_capture_on_commit_callbacks, events, auth_client, project):
    task = TaskFactory(project=project)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = auth_client.patch(f"/api/tasks/{task.id}/", {"assignee": 987654}, format="json")
    assert response.status_code == 400
    assert callbacks == []


def test_publishing_failure_is_logged_not_raised(
    django_capture_on_commit_callbacks, monkeypatch, caplog, user, project
):
    from apps.common import events as events_module

    def explode():
        raise ConnectionError("redis down")

    monkeypatch.setattr(events_module, "dispatch", lambda group, event: explode())
    with django_capture_on_commit_callbacks(execute=True):
        task = services.task_create(actor=user, project=project, title="still saved")
    assert task.pk
    assert "publish of task.created to project." in caplog.text


def test_the_answer_is_the_event_serialized_once(monkeypatch, make_client, project):
    """A PATCH and a POST answer with the dict their event carries: TaskSerializer runs once per write."""
    from apps.tasks import events as task_events
    from apps.tasks import serializers

    made, frames = [], []
    original = serializers.TaskSerializer.to_representation
    monkeypatch.setattr(
        serializers.TaskSerializer, "to_representation", lambda self, task: made.append(task.pk) or original(self, task)
    )
    # Captured as published (not as dispatched: a publish failure left by another test delays dispatches).
    monkeypatch.setattr(task_events, "publish_on_commit", lambda group, frame: frames.append(frame))
    client = make_client(project.owner)
    task = TaskFactory(project=project)
    patched = client.patch(f"/api/tasks/{task.id}/", {"title": "once"}, format="json")
    created = client.post("/api/tasks/", {"project": project.id, "title": "new"}, format="json")
    assert (patched.status_code, created.status_code) == (200, 201)
    assert made == [task.id, created.json()["id"]]
    assert [frame["task"] for frame in frames] == [patched.json(), created.json()]
    unchanged = client.patch(f"/api/tasks/{task.id}/", {"title": "once"}, format="json")  # no change, no event
    assert unchanged.json() == patched.json()
