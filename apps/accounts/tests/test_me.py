"""/api/me/: the account, changing the password, signing out everywhere, the export, and leaving."""

import pytest
from django.contrib.auth import get_user_model
from ninja_jwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from apps.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from apps.notifications.models import Notification
from apps.projects.models import Membership, Project
from apps.projects.tests.factories import MembershipFactory, ProjectFactory
from apps.tasks import services as task_services
from apps.tasks.models import Task, TaskActivity

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "a-Fresh-passphrase-77"


def login(api_client, user, password=DEFAULT_PASSWORD) -> dict:
    response = api_client.post("/api/auth/token/", {"username": user.username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def refresh(api_client, token: str) -> int:
    return api_client.post("/api/auth/token/refresh/", {"refresh": token}).status_code


def test_me_shows_the_account(make_client, user):
    assert make_client(user).get("/api/me/").json() == {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "email_verified": True,
    }


@pytest.mark.parametrize("body", [{"email": "nope"}, {"email": ""}])
def test_me_patch_refuses_a_bad_address(make_client, user, body):
    response = make_client(user).patch("/api/me/", body, format="json")
    assert response.status_code == 400 and "email" in response.json()


def test_every_account_endpoint_needs_authentication(api_client):
    for method, url in (
        ("get", "/api/me/"),
        ("patch", "/api/me/"),
        ("delete", "/api/me/"),
        ("post", "/api/me/password/"),
        ("post", "/api/me/logout-all/"),
        ("get", "/api/me/export/"),
    ):
        assert getattr(api_client, method)(url).status_code == 401, url


def test_changing_the_password_needs_the_current_one_and_a_strong_new_one(make_client, user):
    client = make_client(user)
    wrong = client.post("/api/me/password/", {"current_password": "guess", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 400 and list(wrong.json()) == ["current_password"]
    weak = client.post("/api/me/password/", {"current_password": DEFAULT_PASSWORD, "new_password": "password"})
    assert weak.status_code == 400 and list(weak.json()) == ["new_password"]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_changing_the_password_revokes_every_refresh_token(api_client, make_client, user, committed, events):
    first, second = login(api_client, user), login(api_client, user)
    response = committed(
        make_client(user).post,
        "/api/me/password/",
        {"current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert response.status_code == 204
    assert refresh(api_client, first["refresh"]) == refresh(api_client, second["refresh"]) == 401
    assert (f"user.{user.pk}", {"type": "session.revoked", "session": None}) in events
    assert login(api_client, user, NEW_PASSWORD)["refresh"]


def test_sign_out_everywhere_revokes_tokens_and_ends_browser_sessions(api_client, make_client, user, client, events):
    pair = login(api_client, user)
    client.force_login(user)
    assert client.get("/").status_code == 200
    response = make_client(user).post("/api/me/logout-all/")
    assert response.status_code == 204
    assert refresh(api_client, pair["refresh"]) == 401
    assert OutstandingToken.objects.filter(user=user).count() == BlacklistedToken.objects.count()
    assert client.get("/")["Location"].startswith("/login/")  # the session hash changed
    assert login(api_client, user)  # the password still works: only what was signed in is signed out


def test_the_export_holds_everything_about_the_user(make_client, user, other_user):
    project = ProjectFactory(owner=other_user, name="Shared")
    MembershipFactory(project=project, user=user)
    created = task_services.task_create(actor=user, project=project, title="Mine")
    assigned = task_services.task_create(actor=other_user, project=project, title="For me", assignee=user)
    task_services.task_create(actor=other_user, project=project, title="Not mine")
    response = make_client(user).get("/api/me/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="taskflow-{user.pk}.json"'
    data = response.json()
    assert data["profile"]["username"] == user.username and data["profile"]["email"] == user.email
    assert data["memberships"] == [
        {
            "project": {"id": project.pk, "name": "Shared"},
            "role": "member",
            "joined_at": data["memberships"][0]["joined_at"],
        }
    ]
    assert [t["title"] for t in data["tasks_created"]] == ["Mine"]
    assert [t["id"] for t in data["tasks_assigned"]] == [assigned.pk]
    assert data["tasks_created"][0]["id"] == created.pk
    assert [n["kind"] for n in data["notifications"]] == ["task_assigned"]
    assert data["comments"] == []
    assert data["email_preferences"]["task_assigned"] is True
    assert "password" not in str(data)


def test_deleting_needs_the_password(make_client, user):
    response = make_client(user).delete("/api/me/", {"password": "guess"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["password"]
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_deleting_the_account_keeps_every_project_consistent(make_client, committed):
    leaver, veteran, newcomer, co_owner = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    # Sole owner with members: passes to the longest-standing member.
    handed = ProjectFactory(owner=leaver, name="Handed over")
    MembershipFactory(project=handed, user=veteran)
    MembershipFactory(project=handed, user=newcomer)
    # Sole member: deleted.
    alone = ProjectFactory(owner=leaver, name="Alone")
    # Another owner stays: nothing to hand over but the shown owner.
    shared = ProjectFactory(owner=leaver, name="Shared")
    MembershipFactory(project=shared, user=co_owner, role=Membership.Role.OWNER)
    # A plain member elsewhere, with tasks assigned and created.
    elsewhere = ProjectFactory(owner=veteran, name="Elsewhere")
    MembershipFactory(project=elsewhere, user=leaver)
    created = task_services.task_create(actor=leaver, project=elsewhere, title="Made by the leaver")
    assigned = task_services.task_create(actor=veteran, project=elsewhere, title="Theirs", assignee=leaver)
    in_handed = task_services.task_create(actor=leaver, project=handed, title="Also theirs", assignee=leaver)
    leaver_id = leaver.pk

    response = committed(make_client(leaver).delete, "/api/me/", {"password": DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 204
    assert not get_user_model().objects.filter(pk=leaver_id).exists()

    handed.refresh_from_db()
    assert handed.owner == veteran
    assert Membership.objects.get(project=handed, user=veteran).role == Membership.Role.OWNER
    assert Membership.objects.get(project=handed, user=newcomer).role == Membership.Role.MEMBER
    assert not Project.objects.filter(pk=alone.pk).exists()
    shared.refresh_from_db()
    assert shared.owner == co_owner
    for project in (handed, shared, elsewhere):
        assert project.memberships.filter(role=Membership.Role.OWNER).exists()

    created.refresh_from_db()
    assert created.created_by is None and created.title == "Made by the leaver"
    for task in (assigned, in_handed):
        task.refresh_from_db()
        assert task.assignee is None
        line = TaskActivity.objects.filter(task=task, kind="updated").latest("id")
        assert line.changes == {"assignee": [leaver_id, None]}
    assert Task.objects.filter(pk__in=[created.pk, assigned.pk, in_handed.pk]).count() == 3
    assert not Notification.objects.filter(recipient_id=leaver_id).exists()


def test_a_deleted_users_refresh_tokens_are_refused(api_client, make_client, user):
    pair = login(api_client, user)
    assert make_client(user).delete("/api/me/", {"password": DEFAULT_PASSWORD}, format="json").status_code == 204
    assert refresh(api_client, pair["refresh"]) == 401
