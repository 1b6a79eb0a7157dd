import pytest
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.notifications.models import Notification
from apps.notifications.tests.factories import NotificationFactory
from apps.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [n["id"] for n in response.json()["results"]]


def test_list_is_mine_newest_first_with_shape(auth_client, user, project):
    task = TaskFactory(project=project, title="Deploy")
    older = NotificationFactory(recipient=user, task=task, actor=project.owner)
    newer = NotificationFactory(recipient=user)
    NotificationFactory()  # someone else's
    response = auth_client.get("/api/notifications/")
    assert ids(response) == [newer.id, older.id]
    item = response.json()["results"][1]
    assert item == {
        "id": older.id,
        "seq": 1,
        "kind": "task_assigned",
        "task": {"id": task.id, "title": "Deploy", "project": project.id},
        "actor": {"id": project.owner.id, "username": project.owner.username},
        "message": older.message,
        "created_at": item["created_at"],
        "read_at": None,
    }
    assert response.json()["results"][0]["task"] is None


def test_unread_and_after_filters(auth_client, user):
    first = NotificationFactory(recipient=user, read_at=timezone.now())
    second = NotificationFactory(recipient=user)
    third = NotificationFactory(recipient=user)
    assert ids(auth_client.get("/api/notifications/?unread=true")) == [third.id, second.id]
    assert ids(auth_client.get("/api/notifications/?unread=false")) == [first.id]
    assert ids(auth_client.get(f"/api/notifications/?after={first.id}")) == [third.id, second.id]


@pytest.mark.parametrize(("query", "field"), [("unread=maybe", "unread"), ("after=x", "after"), ("after=-1", "after")])
def test_bad_query_is_400(auth_client, query, field):
    response = auth_client.get(f"/api/notifications/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_unread_count(auth_client, user):
    NotificationFactory.create_batch(2, recipient=user)
    NotificationFactory(recipient=user, read_at=timezone.now())
    NotificationFactory()
    assert auth_client.get("/api/notifications/unread-count/").json() == {"count": 2}


def test_mark_read_is_idempotent(auth_client, user):
    notification = NotificationFactory(recipient=user)
    first = auth_client.post(f"/api/notifications/{notification.id}/read/")
    assert first.status_code == 200
    assert first.json()["read_at"] is not None
    again = auth_client.post(f"/api/notifications/{notification.id}/read/")
    assert again.status_code == 200
    assert again.json()["read_at"] == first.json()["read_at"]


def test_cannot_read_someone_elses(auth_client):
    foreign = NotificationFactory()
    response = auth_client.post(f"/api/notifications/{foreign.id}/read/")
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_read_all(auth_client, user):
    NotificationFactory.create_batch(3, recipient=user)
    other = NotificationFactory()
    assert auth_client.post("/api/notifications/read-all/").json() == {"updated": 3}
    assert auth_client.post("/api/notifications/read-all/").json() == {"updated": 0}
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_preferences_default_and_update(auth_client):
    defaults = auth_client.get("/api/notifications/preferences/").json()
    assert defaults == {
        "email": {
            "task_assigned": True,
            "task_status_changed": True,
            "deadline_approaching": True,
            "comment_added": True,
            "mentioned": True,
        }
    }
    response = auth_client.put(
        "/api/notifications/preferences/", {"email": {"task_status_changed": False}}, format="json"
    )
    assert response.status_code == 200
    expected = {
        "task_assigned": True,
        "task_status_changed": False,
        "deadline_approaching": True,
        "comment_added": True,
        "mentioned": True,
    }
    assert response.json() == {"email": expected}
    assert auth_client.get("/api/notifications/preferences/").json() == {"email": expected}


@pytest.mark.parametrize(
    "body",
    [{"email": {"task_exploded": True}}, {"email": {"task_assigned": "sometimes"}}, {"email": "yes"}, {}],
)
def test_preferences_validation(auth_client, body):
    response = auth_client.put("/api/notifications/preferences/", body, format="json")
    assert response.status_code == 400
    assert "email" in response.json()


def test_notification_endpoints_require_auth(api_client):
    for method, url in (
        ("get", "/api/notifications/"),
        ("get", "/api/notifications/unread-count/"),
        ("post", "/api/notifications/1/read/"),
        ("post", "/api/notifications/read-all/"),
        ("get", "/api/notifications/preferences/"),
    ):
        assert getattr(api_client, method)(url).status_code == 401


def test_preferences_are_per_user(auth_client, make_client):
    auth_client.put("/api/notifications/preferences/", {"email": {"task_assigned": False}}, format="json")
    other = make_client(UserFactory())
    assert other.get("/api/notifications/preferences/").json()["email"]["task_assigned"] is True


def test_after_seq_lists_what_follows_a_users_own_number(auth_client, user):
    _, second, third = NotificationFactory.create_batch(3, recipient=user)
    NotificationFactory()  # someone else's seq 1
    response = auth_client.get("/api/notifications/?after_seq=1")
    assert response.status_code == 200
    assert [(item["id"], item["seq"]) for item in response.json()["results"]] == [(third.id, 3), (second.id, 2)]
    assert auth_client.get("/api/notifications/?after_seq=-1").status_code == 400
