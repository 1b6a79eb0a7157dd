import pytest
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.projects.tests.factories import ProjectFactory
from apps.tasks.models import Task, TaskActivity
from apps.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db

TASK_FIELDS = {
    "id",
    "project",
    "title",
    "description",
    "status",
    "priority",
    "suggested_priority",
    "due_at",
    "assignee",
    "created_by",
    "created_at",
    "updated_at",
    "completed_at",
    "version",
    "labels",
    "comment_count",
}


def user_json(user):
    return {"id": user.id, "username": user.username}


def test_create_task_returns_the_task(auth_client, user, project, member):
    response = auth_client.post(
        "/api/tasks/",
        {
            "project": project.id,
            "title": "  Ship the release  ",
            "description": "Tag and publish",
            "priority": "high",
            "due_at": "2026-12-01T09:00:00Z",
            "assignee": member.id,
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == TASK_FIELDS
    assert body["title"] == "Ship the release"
    assert body["status"] == "todo"
    assert body["priority"] == "high"
    assert body["suggested_priority"] is None
    assert body["due_at"] == "2026-12-01T09:00:00Z"
    assert body["assignee"] == user_json(member)
    assert body["created_by"] == user_json(user)
    assert body["completed_at"] is None
    assert body["version"] == 1
    activity = TaskActivity.objects.get(task_id=body["id"])
    assert activity.kind == "created"
    assert activity.changes["title"] == [None, "Ship the release"]
    assert activity.changes["assignee"] == [None, member.id]


def test_create_with_defaults(auth_client, project):
    body = auth_client.post("/api/tasks/", {"project": project.id, "title": "x"}, format="json").json()
    assert (body["status"], body["priority"], body["assignee"], body["due_at"]) == ("todo", "medium", None, None)


def test_create_done_task_sets_completed_at(auth_client, project):
    body = auth_client.post(
        "/api/tasks/", {"project": project.id, "title": "x", "status": "done"}, format="json"
    ).json()
    assert body["completed_at"] is not None


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"title": ""}, "title", "This field may not be blank."),
        ({"title": "   "}, "title", "This field may not be blank."),
        ({"title": "x" * 201}, "title", "Ensure this field has no more than 200 characters."),
        ({"description": "x" * 10_001}, "description", "Ensure this field has no more than 10000 characters."),
        ({"status": "finished"}, "status", '"finished" is not a valid choice.'),
        ({"priority": "urgent"}, "priority", '"urgent" is not a valid choice.'),
        ({"due_at": "2026-12-01T09:00:00"}, "due_at", "Timestamps need a timezone, e.g. 2026-12-01T09:00:00Z."),
        ({"due_at": "next tuesday"}, "due_at", None),
        ({"assignee": "bob"}, "assignee", "A valid integer is required."),
        ({"project": None}, "project", "This field may not be null."),
    ],
)
def test_create_validation_names_the_field(auth_client, project, payload, field, message):
    body = {"project": project.id, "title": "A task", **payload}
    response = auth_client.post("/api/tasks/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert not Task.objects.exists()


def test_create_title_exactly_200_is_fine(auth_client, project):
    assert (
        auth_client.post("/api/tasks/", {"project": project.id, "title": "x" * 200}, format="json").status_code == 201
    )


def test_create_requires_project_and_title(auth_client):
    response = auth_client.post("/api/tasks/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"project": ["This field is required."], "title": ["This field is required."]}


def test_assignee_must_be_member(auth_client, project):
    outsider = UserFactory()
    response = auth_client.post(
        "/api/tasks/", {"project": project.id, "title": "x", "assignee": outsider.id}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"assignee": ["The assignee must be a member of the task's project."]}


def test_cannot_create_in_someone_elses_project(auth_client):
    foreign = ProjectFactory()
    response = auth_client.post("/api/tasks/", {"project": foreign.id, "title": "x"}, format="json")
    assert response.status_code == 400
    # The same words as for a project that does not exist at all: nothing is learned.
    missing = auth_client.post("/api/tasks/", {"project": 999_999, "title": "x"}, format="json")
    assert response.json() == {"project": [f'Invalid pk "{foreign.id}" - object does not exist.']}
    assert missing.json() == {"project": ['Invalid pk "999999" - object does not exist.']}


def test_tasks_require_authentication(api_client, project):
    task = TaskFactory(project=project)
    for response in (
        api_client.get("/api/tasks/"),
        api_client.post("/api/tasks/", {"project": project.id, "title": "x"}, format="json"),
        api_client.get(f"/api/tasks/{task.id}/"),
        api_client.patch(f"/api/tasks/{task.id}/", {"title": "y"}, format="json"),
        api_client.delete(f"/api/tasks/{task.id}/"),
        api_client.get(f"/api/tasks/{task.id}/activity/"),
    ):
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_get_task(auth_client, project):
    task = TaskFactory(project=project)
    response = auth_client.get(f"/api/tasks/{task.id}/")
    assert response.status_code == 200
    assert response.json()["id"] == task.id


def test_malformed_json_is_400(auth_client):
    response = auth_client.generic("POST", "/api/tasks/", "{oops", content_type="application/json")
    assert response.status_code == 400


def test_patch_changes_fields_and_bumps_version(auth_client, project, member):
    task = TaskFactory(project=project)
    response = auth_client.patch(
        f"/api/tasks/{task.id}/", {"status": "in_progress", "assignee": member.id, "version": 1}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_progress"
    assert body["assignee"] == user_json(member)
    assert body["version"] == 2
    response = auth_client.patch(f"/api/tasks/{task.id}/", {"priority": "high"}, format="json")
    assert response.json()["version"] == 3


def test_patch_recording_one_activity_entry_with_both_fields(auth_client, user, project, member):
    task = TaskFactory(project=project)
    auth_client.patch(f"/api/tasks/{task.id}/", {"status": "blocked", "assignee": member.id}, format="json")
    response = auth_client.get(f"/api/tasks/{task.id}/activity/")
    assert response.status_code == 200
    entries = response.json()["results"]
    assert len(entries) == 1  # the factory wrote no "created" row
    entry = entries[0]
    assert entry["kind"] == "updated"
    assert entry["actor"] == user_json(user)
    assert entry["changes"] == {"status": ["todo", "blocked"], "assignee": [None, member.id]}
    assert set(entry) == {"id", "actor", "kind", "changes", "created_at"}


def test_activity_is_oldest_first(auth_client, project):
    created = auth_client.post("/api/tasks/", {"project": project.id, "title": "a"}, format="json").json()
    auth_client.patch(f"/api/tasks/{created['id']}/", {"title": "b"}, format="json")
    auth_client.patch(f"/api/tasks/{created['id']}/", {"title": "c"}, format="json")
    entries = auth_client.get(f"/api/tasks/{created['id']}/activity/").json()["results"]
    assert [e["kind"] for e in entries] == ["created", "updated", "updated"]
    assert [e["changes"]["title"] for e in entries] == [[None, "a"], ["a", "b"], ["b", "c"]]


def test_patch_without_change_keeps_version_and_writes_nothing(auth_client, project):
    task = TaskFactory(project=project, title="same")
    response = auth_client.patch(f"/api/tasks/{task.id}/", {"title": "same"}, format="json")
    assert response.json()["version"] == 1
    assert not TaskActivity.objects.filter(task=task).exists()


def test_status_done_sets_and_clears_completed_at(auth_client, project):
    task = TaskFactory(project=project)
    done = auth_client.patch(f"/api/tasks/{task.id}/", {"status": "done"}, format="json").json()
    assert done["completed_at"] is not None
    reopened = auth_client.patch(f"/api/tasks/{task.id}/", {"status": "todo"}, format="json").json()
    assert reopened["completed_at"] is None


def test_stale_version_is_409_with_current_task(auth_client, project):
    task = TaskFactory(project=project, title="v1")
    auth_client.patch(f"/api/tasks/{task.id}/", {"title": "v2", "version": 1}, format="json")
    response = auth_client.patch(f"/api/tasks/{task.id}/", {"title": "mine", "version": 1}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "The task changed since version 1; it is now at version 2."
    assert body["current"]["title"] == "v2"
    assert body["current"]["version"] == 2
    task.refresh_from_db()
    assert task.title == "v2"


def test_patch_without_version_applies(auth_client, project):
    task = TaskFactory(project=project)
    auth_client.patch(f"/api/tasks/{task.id}/", {"title": "one"}, format="json")
    response = auth_client.patch(f"/api/tasks/{task.id}/", {"title": "two"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "two"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"status": "nope"}, "status"),
        ({"priority": "nope"}, "priority"),
        ({"due_at": "2026-12-01T09:00:00"}, "due_at"),
        ({"version": 0}, "version"),
        ({"version": "x"}, "version"),
    ],
)
def test_patch_validation(auth_client, project, payload, field):
    task = TaskFactory(project=project, title="kept")
    response = auth_client.patch(f"/api/tasks/{task.id}/", payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    task.refresh_from_db()
    assert (task.title, task.version) == ("kept", 1)


def test_patch_assignee_non_member_is_400(auth_client, project):
    task = TaskFactory(project=project)
    response = auth_client.patch(f"/api/tasks/{task.id}/", {"assignee": UserFactory().id}, format="json")
    assert response.status_code == 400
    assert response.json() == {"assignee": ["The assignee must be a member of the task's project."]}


def test_patch_can_unassign_and_clear_deadline(auth_client, project, member):
    task = TaskFactory(project=project, assignee=member, due_at=timezone.now())
    body = auth_client.patch(f"/api/tasks/{task.id}/", {"assignee": None, "due_at": None}, format="json").json()
    assert (body["assignee"], body["due_at"]) == (None, None)


def test_delete_by_creator_member_and_owner(make_client, project, member):
    own = TaskFactory(project=project, created_by=member)
    assert make_client(member).delete(f"/api/tasks/{own.id}/").status_code == 204
    someone_elses = TaskFactory(project=project, created_by=project.owner)
    response = make_client(member).delete(f"/api/tasks/{someone_elses.id}/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the task's creator or a project owner may delete it."}
    by_member = TaskFactory(project=project, created_by=member)
    assert make_client(project.owner).delete(f"/api/tasks/{by_member.id}/").status_code == 204
    assert list(Task.objects.values_list("id", flat=True)) == [someone_elses.id]


def test_non_member_gets_404_on_every_task_endpoint(make_client, project):
    task = TaskFactory(project=project)
    client = make_client(UserFactory())
    for response in (
        client.get(f"/api/tasks/{task.id}/"),
        client.patch(f"/api/tasks/{task.id}/", {"title": "x", "version": 1}, format="json"),
        client.delete(f"/api/tasks/{task.id}/"),
        client.get(f"/api/tasks/{task.id}/activity/"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "No such task."}
    task.refresh_from_db()
    assert task.title != "x"


def test_unknown_task_id_is_404(auth_client):
    assert auth_client.get("/api/tasks/999999/").status_code == 404


def test_a_task_the_caller_cannot_see_is_404_whatever_the_body(make_client, project):
    """The PATCH validates the body before its one scoped, locking read; a bad body must still not tell a non-member
    that the task exists."""
    task = TaskFactory(project=project)
    client = make_client(UserFactory())
    for response in (
        client.patch(f"/api/tasks/{task.id}/", {"title": ""}, format="json"),
        client.patch(f"/api/tasks/{task.id}/", {"status": "nope", "version": 0}, format="json"),
        client.patch(f"/api/tasks/{task.id}/", "{not json", content_type="application/json"),
        client.patch(f"/api/tasks/{task.id}/", "title=x", content_type="application/x-www-form-urlencoded"),
    ):
        assert response.status_code == 404, response.content
        assert response.json() == {"detail": "No such task."}
    member = make_client(project.owner)
    assert member.patch(f"/api/tasks/{task.id}/", {"title": ""}, format="json").status_code == 400
    assert member.patch("/api/tasks/abc/", {"title": "x"}, format="json").status_code == 404
    assert member.patch("/api/tasks/999999/", {"title": "x"}, format="json").status_code == 404


def test_a_patch_reads_the_task_once(make_client, project):
    """The membership scope and the row lock are one query: no separate read of the task before the service's."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task = TaskFactory(project=project)
    client = make_client(project.owner)
    with CaptureQueriesContext(connection) as queries:
        assert client.patch(f"/api/tasks/{task.id}/", {"title": "once"}, format="json").status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "tasks_task"' in q["sql"] and "SELECT" in q["sql"]]
    assert len(reads) == 1, reads
    assert '"projects_membership"' in reads[0]
