import pytest

from apps.accounts.tests.factories import UserFactory
from apps.projects.models import Membership, Project
from apps.projects.tests.factories import MembershipFactory, ProjectFactory
from apps.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def user_json(user):
    return {"id": user.id, "username": user.username}


def test_create_project_makes_caller_owner(auth_client, user):
    response = auth_client.post("/api/projects/", {"name": "Launch", "description": "Q1 launch"}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Launch"
    assert body["description"] == "Q1 launch"
    assert body["owner"] == user_json(user)
    assert body["role"] == "owner"
    assert set(body) == {"id", "name", "description", "owner", "role", "created_at"}
    assert Membership.objects.get(project_id=body["id"], user=user).role == "owner"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "ok", "description": 5 * "x" * 2001}, "description"),
    ],
)
def test_create_project_validation_names_field(auth_client, payload, field):
    response = auth_client.post("/api/projects/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_projects_require_authentication(api_client):
    assert api_client.get("/api/projects/").status_code == 401
    assert api_client.post("/api/projects/", {"name": "x"}, format="json").status_code == 401


def test_list_shows_only_my_projects_with_my_role(auth_client, user, project):
    joined = MembershipFactory(user=user).project
    ProjectFactory()  # someone else's
    response = auth_client.get("/api/projects/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"results", "next", "previous"}
    roles = {item["id"]: item["role"] for item in body["results"]}
    assert roles == {project.id: "owner", joined.id: "member"}


def test_get_patch_delete_by_owner(auth_client, project):
    assert auth_client.get(f"/api/projects/{project.id}/").json()["role"] == "owner"
    response = auth_client.patch(f"/api/projects/{project.id}/", {"name": "Renamed"}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"
    assert auth_client.delete(f"/api/projects/{project.id}/").status_code == 204
    assert not Project.objects.filter(pk=project.id).exists()


def test_member_can_read_but_not_change_or_delete(make_client, project, member):
    client = make_client(member)
    assert client.get(f"/api/projects/{project.id}/").json()["role"] == "member"
    response = client.patch(f"/api/projects/{project.id}/", {"name": "Mine now"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only a project owner may do this."}
    assert client.delete(f"/api/projects/{project.id}/").status_code == 403
    project.refresh_from_db()
    assert project.name != "Mine now"


def test_non_member_gets_404_everywhere(make_client, project):
    client = make_client(UserFactory())
    for response in (
        client.get(f"/api/projects/{project.id}/"),
        client.patch(f"/api/projects/{project.id}/", {"name": "x"}, format="json"),
        client.delete(f"/api/projects/{project.id}/"),
        client.get(f"/api/projects/{project.id}/members/"),
        client.post(f"/api/projects/{project.id}/members/", {"username": "x"}, format="json"),
        client.delete(f"/api/projects/{project.id}/members/{project.owner_id}/"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "No such project."}


def test_patch_validation_is_400(auth_client, project):
    response = auth_client.patch(f"/api/projects/{project.id}/", {"name": ""}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_members_list(auth_client, project, member):
    response = auth_client.get(f"/api/projects/{project.id}/members/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(m["user"], m["role"]) for m in results] == [
        (user_json(project.owner), "owner"),
        (user_json(member), "member"),
    ]
    assert all("joined_at" in m for m in results)


def test_owner_adds_member_and_owner(auth_client, project):
    bob, carol = UserFactory(), UserFactory()
    response = auth_client.post(f"/api/projects/{project.id}/members/", {"username": bob.username}, format="json")
    assert response.status_code == 201
    assert response.json()["user"] == user_json(bob)
    assert response.json()["role"] == "member"
    response = auth_client.post(
        f"/api/projects/{project.id}/members/", {"username": carol.username, "role": "owner"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["role"] == "owner"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"username": "nobody-here"}, "username", "No user with that username."),
        ({}, "username", "This field is required."),
        ({"username": "x", "role": "admin"}, "role", '"admin" is not a valid choice.'),
    ],
)
def test_add_member_errors(auth_client, project, payload, field, message):
    response = auth_client.post(f"/api/projects/{project.id}/members/", payload, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]


def test_add_existing_member_is_400(auth_client, project, member):
    response = auth_client.post(f"/api/projects/{project.id}/members/", {"username": member.username}, format="json")
    assert response.status_code == 400
    assert response.json() == {"username": ["This user is already a member of the project."]}


def test_member_cannot_add_or_remove_others(make_client, project, member):
    client = make_client(member)
    other = UserFactory()
    assert (
        client.post(f"/api/projects/{project.id}/members/", {"username": other.username}, format="json").status_code
        == 403
    )
    assert client.delete(f"/api/projects/{project.id}/members/{project.owner_id}/").status_code == 403


def test_owner_removes_member_and_their_tasks_are_unassigned(auth_client, project, member):
    task = TaskFactory(project=project, assignee=member)
    response = auth_client.delete(f"/api/projects/{project.id}/members/{member.id}/")
    assert response.status_code == 204
    assert not Membership.objects.filter(project=project, user=member).exists()
    task.refresh_from_db()
    assert task.assignee is None
    assert task.version == 2
    assert task.activity.get().changes == {"assignee": [member.id, None]}


def test_member_may_leave(make_client, project, member):
    assert make_client(member).delete(f"/api/projects/{project.id}/members/{member.id}/").status_code == 204


def test_last_owner_cannot_leave(auth_client, project, user):
    response = auth_client.delete(f"/api/projects/{project.id}/members/{user.id}/")
    assert response.status_code == 400
    assert response.json() == {"detail": "The last owner cannot leave the project."}
    assert Membership.objects.filter(project=project, user=user, role="owner").exists()


def test_owner_may_leave_when_another_owner_remains_and_ownership_moves(auth_client, project, user):
    co_owner = MembershipFactory(project=project, role="owner").user
    assert auth_client.delete(f"/api/projects/{project.id}/members/{user.id}/").status_code == 204
    project.refresh_from_db()
    assert project.owner == co_owner


def test_removing_unknown_member_is_404(auth_client, project):
    response = auth_client.delete(f"/api/projects/{project.id}/members/{UserFactory().id}/")
    assert response.status_code == 404
