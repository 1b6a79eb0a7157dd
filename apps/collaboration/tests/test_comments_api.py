"""Comments over REST: list oldest first, create, edit own, delete own or as owner; non-members get 404."""

import pytest

from apps.accounts.tests.factories import UserFactory
from apps.collaboration.models import Comment, Watcher
from apps.projects.tests.factories import MembershipFactory
from apps.tasks.models import TaskActivity
from apps.tasks.tests.factories import TaskFactory
from conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(project):
    return TaskFactory(project=project)


def post_comment(client, task, body):
    return client.post(f"/api/tasks/{task.id}/comments/", {"body": body}, format="json")


def test_create_and_list_oldest_first(project, member, task, make_client):
    client = make_client(member)
    first = post_comment(client, task, "first\nline two")
    assert first.status_code == 201, first.content
    body = first.json()
    assert set(body) == {"id", "task", "author", "body", "mentions", "created_at", "edited_at"}
    assert body["author"] == {"id": member.id, "username": member.username}
    assert body["body"] == "first\nline two"
    assert body["edited_at"] is None
    post_comment(make_client(project.owner), task, "second")
    listed = client.get(f"/api/tasks/{task.id}/comments/").json()
    assert [c["body"] for c in listed["results"]] == ["first\nline two", "second"]
    assert {"next", "previous", "results"} <= set(listed)
    # The commenter now watches; the activity has a line per comment.
    assert Watcher.objects.filter(task=task, user=member).exists()
    kinds = list(TaskActivity.objects.filter(task=task).values_list("kind", flat=True))
    assert kinds.count("commented") == 2


def test_task_carries_comment_count(project, member, task, make_client):
    client = make_client(member)
    for text in ("a", "b", "c"):
        post_comment(client, task, text)
    other = TaskFactory(project=project)
    listed = {t["id"]: t for t in client.get(f"/api/tasks/?project={project.id}").json()["results"]}
    assert listed[task.id]["comment_count"] == 3
    assert listed[other.id]["comment_count"] == 0
    assert client.get(f"/api/tasks/{task.id}/").json()["comment_count"] == 3


def test_task_list_reads_comment_counts_and_labels_without_n_plus_one(
    project, member, make_client, django_assert_max_num_queries
):
    client = make_client(member)
    for _ in range(8):
        post_comment(client, TaskFactory(project=project), "x")
    with django_assert_max_num_queries(8):
        response = client.get(f"/api/tasks/?project={project.id}")
    assert len(response.json()["results"]) == 8


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 10_001])
def test_bad_bodies_are_400(member, task, make_client, body):
    response = post_comment(make_client(member), task, body)
    assert response.status_code == 400
    assert "body" in response.json()


def test_body_of_10000_characters_is_accepted(member, task, make_client):
    assert post_comment(make_client(member), task, "y" * 10_000).status_code == 201


def test_edit_own_only_and_edited_at(project, member, task, make_client):
    comment_id = post_comment(make_client(member), task, "draft").json()["id"]
    owner = make_client(project.owner)
    assert owner.patch(f"/api/comments/{comment_id}/", {"body": "hijack"}, format="json").status_code == 403
    edited = make_client(member).patch(f"/api/comments/{comment_id}/", {"body": "final"}, format="json")
    assert edited.status_code == 200
    assert edited.json()["body"] == "final"
    assert edited.json()["edited_at"] is not None
    assert TaskActivity.objects.filter(task=task, kind="comment_edited").count() == 1


def test_delete_by_author_or_owner_only(project, member, task, make_client):
    third = MembershipFactory(project=project).user
    mine = post_comment(make_client(member), task, "mine").json()["id"]
    assert make_client(third).delete(f"/api/comments/{mine}/").status_code == 403
    assert make_client(project.owner).delete(f"/api/comments/{mine}/").status_code == 204
    own = post_comment(make_client(third), task, "own").json()["id"]
    assert make_client(third).delete(f"/api/comments/{own}/").status_code == 204
    assert not Comment.objects.exists()
    assert TaskActivity.objects.filter(task=task, kind="comment_deleted").count() == 2


def test_non_members_get_404(member, task, make_client):
    comment_id = post_comment(make_client(member), task, "secret").json()["id"]
    stranger = client_for(UserFactory())
    assert stranger.get(f"/api/tasks/{task.id}/comments/").status_code == 404
    assert post_comment(stranger, task, "hi").status_code == 404
    assert stranger.patch(f"/api/comments/{comment_id}/", {"body": "x"}, format="json").status_code == 404
    assert stranger.delete(f"/api/comments/{comment_id}/").status_code == 404
    assert stranger.get("/api/comments/99999999999999999999/").status_code in (404, 405)
    assert Comment.objects.get().body == "secret"


def test_unauthenticated_is_401(task, api_client):
    assert api_client.get(f"/api/tasks/{task.id}/comments/").status_code == 401


def test_search_covers_comments(project, member, make_client):
    task = TaskFactory(project=project, title="plain")
    TaskFactory(project=project, title="other")
    client = make_client(member)
    post_comment(client, task, "the flux capacitor is broken")
    post_comment(client, task, "flux again")
    found = client.get(f"/api/tasks/?project={project.id}&search=capacitor").json()["results"]
    assert [t["id"] for t in found] == [task.id]
    assert [t["id"] for t in client.get("/api/tasks/?search=flux").json()["results"]] == [task.id]


def test_comment_events_after_commit(django_capture_on_commit_callbacks, events, project, member, task):
    from apps.collaboration import services

    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(actor=member, task=task, body=f"hi @{project.owner.username}")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_update(actor=member, comment=comment, body="changed")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_delete(actor=member, comment=comment)
    frames = [(group, event) for group, event in events if event["type"].startswith("comment.")]
    assert [event["type"] for _, event in frames] == ["comment.created", "comment.updated", "comment.deleted"]
    for group, event in frames:
        assert group == f"project.{project.id}"
        assert (event["project"], event["task"], event["comment"]["id"]) == (project.id, task.id, comment.id)
    assert frames[0][1]["comment"]["mentions"] == [{"id": project.owner.id, "username": project.owner.username}]
    assert frames[1][1]["comment"]["body"] == "changed"
    assert frames[2][1]["comment"]["body"] == "changed"
