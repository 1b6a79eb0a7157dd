"""Labels per project and watchers over REST; non-members get 404."""

import pytest

from apps.accounts.tests.factories import UserFactory
from apps.collaboration.models import Label
from apps.projects.tests.factories import MembershipFactory
from apps.tasks.models import TaskActivity
from apps.tasks.tests.factories import TaskFactory
from conftest import client_for

pytestmark = pytest.mark.django_db


def make_label(client, project, name="Bug", color="#ff0000"):
    return client.post(f"/api/projects/{project.id}/labels/", {"name": name, "color": color}, format="json")


def test_members_create_list_and_edit_labels(project, member, make_client):
    client = make_client(member)
    created = make_label(client, project, "  Bug ", "#FF0000")
    assert created.status_code == 201, created.content
    label = created.json()
    assert label == {"id": label["id"], "project": project.id, "name": "Bug", "color": "#ff0000"}
    make_label(client, project, "Alpha", "#00ff00")
    listed = client.get(f"/api/projects/{project.id}/labels/").json()["results"]
    assert [item["name"] for item in listed] == ["Alpha", "Bug"]
    edited = client.patch(f"/api/labels/{label['id']}/", {"color": "#0000ff"}, format="json")
    assert edited.status_code == 200
    assert edited.json()["color"] == "#0000ff"


@pytest.mark.parametrize(
    ("name", "color", "field"),
    [
        ("bug", "#123456", "name"),
        ("BUG", "#123456", "name"),
        ("", "#123456", "name"),
        ("x" * 51, "#123456", "name"),
        ("ok", "red", "color"),
        ("ok", "#12345", "color"),
        ("ok", "#1234567", "color"),
    ],
)
def test_bad_labels_are_400(project, make_client, name, color, field):
    client = make_client(project.owner)
    assert make_label(client, project, "Bug").status_code == 201
    response = make_label(client, project, name, color)
    assert response.status_code == 400
    assert field in response.json()


def test_renaming_onto_another_name_is_400(project, make_client):
    client = make_client(project.owner)
    make_label(client, project, "Bug")
    other = make_label(client, project, "Feature").json()
    response = client.patch(f"/api/labels/{other['id']}/", {"name": "bUg"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    # Same name in another project is fine.
    from apps.projects.tests.factories import ProjectFactory

    assert make_label(client, ProjectFactory(owner=project.owner), "Bug").status_code == 201


def test_only_owners_delete_and_tasks_lose_the_label(project, member, make_client, events):
    owner = make_client(project.owner)
    bug = make_label(owner, project, "Bug").json()
    keep = make_label(owner, project, "Keep", "#00ff00").json()
    task = TaskFactory(project=project)
    patched = owner.patch(f"/api/tasks/{task.id}/", {"labels": [bug["id"], keep["id"]]}, format="json")
    assert patched.status_code == 200
    assert make_client(member).delete(f"/api/labels/{bug['id']}/").status_code == 403
    assert owner.delete(f"/api/labels/{bug['id']}/").status_code == 204
    assert not Label.objects.filter(pk=bug["id"]).exists()
    body = owner.get(f"/api/tasks/{task.id}/").json()
    assert [label["name"] for label in body["labels"]] == ["Keep"]
    last = TaskActivity.objects.filter(task=task).last()
    assert last.changes == {"labels": [sorted([bug["id"], keep["id"]]), [keep["id"]]]}


def test_task_labels_write_read_activity_and_event(
    project, member, make_client, events, django_capture_on_commit_callbacks
):
    client = make_client(member)
    bug = make_label(client, project, "Bug").json()
    ui = make_label(client, project, "UI", "#00ff00").json()
    created = client.post(
        "/api/tasks/", {"project": project.id, "title": "t", "labels": [ui["id"]]}, format="json"
    ).json()
    assert created["labels"] == [ui]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(f"/api/tasks/{created['id']}/", {"labels": [bug["id"], ui["id"]]}, format="json")
    assert response.status_code == 200
    assert [label["name"] for label in response.json()["labels"]] == ["Bug", "UI"]
    assert response.json()["version"] == 2
    [(_, frame)] = [(g, e) for g, e in events if e["type"] == "task.updated"]
    assert [label["id"] for label in frame["task"]["labels"]] == [bug["id"], ui["id"]]
    last = TaskActivity.objects.filter(task_id=created["id"]).last()
    assert last.changes == {"labels": [[ui["id"]], sorted([bug["id"], ui["id"]])]}
    # The same set again changes nothing.
    again = client.patch(f"/api/tasks/{created['id']}/", {"labels": [ui["id"], bug["id"]]}, format="json")
    assert again.json()["version"] == 2


def test_renaming_or_recolouring_a_label_sends_its_tasks_again(
    project, member, make_client, events, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """Labels have no frame of their own (API.md): a rename or recolour reaches open boards as `task.updated` of every
    task carrying the label, built in the transaction, sent after commit; no version, no activity for it."""
    client = make_client(member)
    bug = make_label(client, project, "Bug").json()
    ui = make_label(client, project, "UI", "#00ff00").json()
    carrying = [TaskFactory(project=project) for _ in range(3)]
    for task in carrying:
        assert (
            client.patch(f"/api/tasks/{task.id}/", {"labels": [bug["id"], ui["id"]]}, format="json").status_code == 200
        )
    other = TaskFactory(project=project)
    client.patch(f"/api/tasks/{other.id}/", {"labels": [ui["id"]]}, format="json")
    before = {task["id"]: task for task in client.get(f"/api/tasks/?project={project.id}").json()["results"]}
    activity = TaskActivity.objects.count()
    events.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks, django_assert_max_num_queries(12):
        response = client.patch(f"/api/labels/{bug['id']}/", {"name": "Defect", "color": "#AA00AA"}, format="json")
    assert response.status_code == 200, response.content
    assert events == []  # nothing before the commit
    for callback in callbacks:
        callback()
    frames = [frame for group, frame in events if frame["type"] == "task.updated"]
    assert sorted(frame["task"]["id"] for frame in frames) == [task.id for task in carrying]
    for frame in frames:
        assert frame["project"] == project.id
        assert frame["task"]["labels"] == [
            {"id": bug["id"], "project": project.id, "name": "Defect", "color": "#aa00aa"},
            ui,
        ]
        known = before[frame["task"]["id"]]
        assert frame["task"]["version"] == known["version"]  # not a user's change of the task
        assert frame["task"]["updated_at"] > known["updated_at"]  # but boards and `updated_after` take it as newer
    assert TaskActivity.objects.count() == activity
    [first] = [frame["task"] for frame in frames if frame["task"]["id"] == carrying[0].id]
    assert client.get(f"/api/tasks/{carrying[0].id}/").json() == first  # what a fresh read shows

    # The same name and colour again, or a label on no task: no frame.
    events.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.patch(f"/api/labels/{bug['id']}/", {"name": "Defect"}, format="json")
        make_label(client, project, "Lonely")
        lonely = Label.objects.get(name="Lonely")
        client.patch(f"/api/labels/{lonely.pk}/", {"color": "#123456"}, format="json")
    assert [frame for _, frame in events if frame["type"] == "task.updated"] == []


def test_labels_of_another_project_or_garbage_are_400(project, member, make_client):
    from apps.projects.tests.factories import ProjectFactory

    client = make_client(member)
    foreign_project = ProjectFactory()
    foreign = make_label(make_client(foreign_project.owner), foreign_project, "X").json()
    task = TaskFactory(project=project)
    for labels in ([foreign["id"]], ["abc"], "3", [2**70], [None]):
        response = client.patch(f"/api/tasks/{task.id}/", {"labels": labels}, format="json")
        assert response.status_code == 400, labels
        assert "labels" in response.json()


def test_label_filter_any_of(project, member, make_client):
    client = make_client(member)
    a, b, c = (make_label(client, project, name).json()["id"] for name in ("A", "B", "C"))
    with_a = client.post("/api/tasks/", {"project": project.id, "title": "a", "labels": [a]}, format="json").json()
    with_b = client.post("/api/tasks/", {"project": project.id, "title": "b", "labels": [b, c]}, format="json").json()
    client.post("/api/tasks/", {"project": project.id, "title": "none"}, format="json")
    ids = lambda query: sorted(t["id"] for t in client.get(f"/api/tasks/?{query}").json()["results"])  # noqa: E731
    assert ids(f"label={a}") == [with_a["id"]]
    assert ids(f"label={a}&label={c}") == sorted([with_a["id"], with_b["id"]])
    assert ids(f"label={b}&label={c}") == [with_b["id"]]  # no duplicates
    assert client.get("/api/tasks/?label=x").status_code == 400
    assert client.get("/api/tasks/?label=²").status_code == 400


def test_labels_non_members_get_404(project, make_client):
    label = make_label(make_client(project.owner), project).json()
    stranger = client_for(UserFactory())
    assert stranger.get(f"/api/projects/{project.id}/labels/").status_code == 404
    assert make_label(stranger, project, "Mine").status_code == 404
    assert stranger.patch(f"/api/labels/{label['id']}/", {"name": "x"}, format="json").status_code == 404
    assert stranger.delete(f"/api/labels/{label['id']}/").status_code == 404


def test_watchers_automatic_and_by_hand(project, member, make_client):
    third = MembershipFactory(project=project).user
    client = make_client(project.owner)
    task = client.post(
        "/api/tasks/", {"project": project.id, "title": "t", "assignee": member.id}, format="json"
    ).json()
    url = f"/api/tasks/{task['id']}/watchers/"
    watchers = lambda: sorted(u["id"] for u in client.get(url).json()["results"])  # noqa: E731
    assert watchers() == sorted([project.owner.id, member.id])
    third_client = make_client(third)
    assert third_client.put(url + "me/").status_code == 204
    assert third_client.put(url + "me/").status_code == 204  # idempotent
    assert watchers() == sorted([project.owner.id, member.id, third.id])
    assert make_client(member).delete(url + "me/").status_code == 204
    assert watchers() == sorted([project.owner.id, third.id])
    # A member who leaves is no longer listed (nor notified).
    from apps.projects.models import Membership

    Membership.objects.filter(project=project, user=third).delete()
    assert watchers() == [project.owner.id]


def test_watchers_non_members_get_404(project, make_client):
    task = TaskFactory(project=project)
    stranger = client_for(UserFactory())
    url = f"/api/tasks/{task.id}/watchers/"
    assert stranger.get(url).status_code == 404
    assert stranger.put(url + "me/").status_code == 404
    assert stranger.delete(url + "me/").status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_rename_waits_for_a_task_update_in_flight_and_its_frame_comes_last(project, member, make_client, events):
    """The update's frame, built before the rename committed, shows the old name; the rename locks the task, so it
    reads the task after the update and its frame (same version, later updated_at) is the one boards keep."""
    from apps.common.tests.races import race
    from apps.tasks import services as task_services

    client = make_client(member)
    bug = make_label(client, project, "Bug").json()
    task = TaskFactory(project=project)
    assert client.patch(f"/api/tasks/{task.id}/", {"labels": [bug["id"]]}, format="json").status_code == 200
    events.clear()
    # The rename must wait for the task the update holds: race() fails unless it is seen waiting for that lock.
    renamed = race(
        lambda: task_services.task_update(actor=member, task=task, data={"title": "Moved on"}),
        lambda: client.patch(f"/api/labels/{bug['id']}/", {"name": "Defect"}, format="json").status_code,
    )
    assert renamed == 200

    frames = [frame["task"] for _, frame in events if frame["type"] == "task.updated"]
    assert [(f["title"], f["version"], f["labels"][0]["name"]) for f in frames] == [
        ("Moved on", 3, "Bug"),
        ("Moved on", 3, "Defect"),
    ]
    assert frames[1]["updated_at"] > frames[0]["updated_at"]
