import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.tests.factories import UserFactory
from apps.projects.tests.factories import MembershipFactory, ProjectFactory
from apps.tasks.models import Task
from apps.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [task["id"] for task in response.json()["results"]]


@pytest.fixture
def board(project, member, user):
    now = timezone.now()
    return {
        "a": TaskFactory(
            project=project,
            title="Write release notes",
            status="todo",
            priority="low",
            due_at=now + datetime.timedelta(days=1),
            assignee=member,
        ),
        "b": TaskFactory(
            project=project,
            title="Fix login bug",
            description="SSO loop",
            status="in_progress",
            priority="high",
            due_at=now + datetime.timedelta(days=3),
            assignee=user,
        ),
        "c": TaskFactory(project=project, title="Plan offsite", status="done", priority="medium"),
    }


def test_list_is_paginated_and_scoped(auth_client, board):
    TaskFactory()  # another project's
    body = auth_client.get("/api/tasks/").json()
    assert set(body) >= {"results", "next", "previous"}
    assert {t["id"] for t in body["results"]} == {t.id for t in board.values()}


def test_pagination_links(auth_client, project):
    TaskFactory.create_batch(5, project=project)
    first = auth_client.get("/api/tasks/?page_size=2").json()
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"]
    second = auth_client.get(first["next"]).json()
    assert not {t["id"] for t in first["results"]} & {t["id"] for t in second["results"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=todo", ["a"]),
        ("status=done", ["c"]),
        ("priority=high", ["b"]),
        ("search=login", ["b"]),
        ("search=sso", ["b"]),
        ("search=RELEASE", ["a"]),
    ],
)
def test_filters(auth_client, board, query, expected):
    assert sorted(ids(auth_client.get(f"/api/tasks/?{query}"))) == sorted(board[k].id for k in expected)


def test_assignee_filter_by_id_and_me(auth_client, board, member):
    assert ids(auth_client.get(f"/api/tasks/?assignee={member.id}")) == [board["a"].id]
    assert ids(auth_client.get("/api/tasks/?assignee=me")) == [board["b"].id]


def test_due_filters(auth_client, board):
    cut = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    from urllib.parse import quote

    assert ids(auth_client.get(f"/api/tasks/?due_before={quote(cut)}")) == [board["a"].id]
    assert ids(auth_client.get(f"/api/tasks/?due_after={quote(cut)}")) == [board["b"].id]


def test_no_due_picks_tasks_without_a_deadline(auth_client, board):
    assert ids(auth_client.get("/api/tasks/?no_due=true")) == [board["c"].id]
    assert sorted(ids(auth_client.get("/api/tasks/?no_due=false"))) == sorted([board["a"].id, board["b"].id])


def test_due_window_as_the_board_sends_it(auth_client, board):
    """The board's "today" and "this week" chips: a window computed in the browser's time zone, both ends aware."""
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    window = {"due_after": start.isoformat(), "due_before": (start + datetime.timedelta(days=2)).isoformat()}
    assert ids(auth_client.get("/api/tasks/", window)) == [board["a"].id]


def test_undated_tasks_sort_last_in_both_directions(auth_client, board):
    assert ids(auth_client.get("/api/tasks/?ordering=due_at")) == [board["a"].id, board["b"].id, board["c"].id]
    assert ids(auth_client.get("/api/tasks/?ordering=-due_at")) == [board["b"].id, board["a"].id, board["c"].id]
    # The board's column order: most urgent first, then the nearest deadline.
    assert ids(auth_client.get("/api/tasks/?ordering=-priority,due_at")) == [
        board["b"].id,
        board["c"].id,
        board["a"].id,
    ]


def test_updated_after(auth_client, board):
    mark = timezone.now()
    auth_client.patch(f"/api/tasks/{board['c'].id}/", {"title": "Plan the offsite"}, format="json")
    assert ids(auth_client.get("/api/tasks/", {"updated_after": mark.isoformat()})) == [board["c"].id]


def test_project_filter(auth_client, user, board):
    other = MembershipFactory(user=user).project
    task = TaskFactory(project=other)
    assert ids(auth_client.get(f"/api/tasks/?project={other.id}")) == [task.id]


def test_ordering_by_priority_is_by_meaning(auth_client, board):
    assert ids(auth_client.get("/api/tasks/?ordering=priority")) == [board["a"].id, board["c"].id, board["b"].id]
    assert ids(auth_client.get("/api/tasks/?ordering=-priority")) == [board["b"].id, board["c"].id, board["a"].id]


def test_ordering_by_due_and_created(auth_client, board):
    assert (
        ids(auth_client.get("/api/tasks/?ordering=due_at&status=todo,in_progress".replace(",in_progress", "")))[0]
        == board["a"].id
    )
    assert ids(auth_client.get("/api/tasks/?ordering=created_at")) == [board["a"].id, board["b"].id, board["c"].id]
    assert ids(auth_client.get("/api/tasks/?ordering=-created_at")) == [board["c"].id, board["b"].id, board["a"].id]
    assert ids(auth_client.get("/api/tasks/?ordering=-updated_at"))[0] == board["c"].id


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=finished", "status"),
        ("priority=urgent", "priority"),
        ("ordering=title", "ordering"),
        ("assignee=bob", "assignee"),
        ("due_before=2026-12-01T09:00:00", "due_before"),
        ("updated_after=yesterday", "updated_after"),
        ("project=abc", "project"),
        ("no_due=maybe", "no_due"),
    ],
)
def test_bad_query_values_are_400_naming_the_parameter(auth_client, board, query, field):
    response = auth_client.get(f"/api/tasks/?{query}")
    assert response.status_code == 400
    assert field in response.json()


def test_isolation_between_two_users_in_different_projects(make_client):
    alice, bob = UserFactory(), UserFactory()
    alice_project, bob_project = ProjectFactory(owner=alice), ProjectFactory(owner=bob)
    alice_task = TaskFactory(project=alice_project, assignee=alice, title="alice secret")
    bob_task = TaskFactory(project=bob_project, assignee=bob, title="bob secret")
    alice_client, bob_client = make_client(alice), make_client(bob)

    for client, mine, theirs, their_project, them in (
        (alice_client, alice_task, bob_task, bob_project, bob),
        (bob_client, bob_task, alice_task, alice_project, alice),
    ):
        assert ids(client.get("/api/tasks/")) == [mine.id]
        assert ids(client.get(f"/api/tasks/?project={their_project.id}")) == []
        assert ids(client.get(f"/api/tasks/?assignee={them.id}")) == []
        assert ids(client.get(f"/api/tasks/?search={theirs.title}")) == []
        assert client.get(f"/api/tasks/{theirs.id}/").status_code == 404
        assert client.get(f"/api/tasks/{theirs.id}/activity/").status_code == 404
        assert client.patch(f"/api/tasks/{theirs.id}/", {"title": "pwned"}, format="json").status_code == 404
        assert client.delete(f"/api/tasks/{theirs.id}/").status_code == 404
        assert client.get(f"/api/projects/{their_project.id}/").status_code == 404
        assert client.get(f"/api/projects/{their_project.id}/members/").status_code == 404
        assert their_project.id not in [p["id"] for p in client.get("/api/projects/").json()["results"]]
    assert set(Task.objects.values_list("title", flat=True)) == {"alice secret", "bob secret"}


def test_removed_member_loses_access_at_once(make_client, project, member):
    task = TaskFactory(project=project)
    client = make_client(member)
    assert client.get(f"/api/tasks/{task.id}/").status_code == 200
    make_client(project.owner).delete(f"/api/projects/{project.id}/members/{member.id}/")
    assert client.get(f"/api/tasks/{task.id}/").status_code == 404
    assert ids(client.get("/api/tasks/")) == []


def count_list_queries(client, query: str = "page_size=100") -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/tasks/?{query}")
    assert response.status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_page_size(auth_client, project, member):
    TaskFactory.create_batch(5, project=project, assignee=member)
    small = count_list_queries(auth_client)
    TaskFactory.create_batch(45, project=project, assignee=member)
    large = count_list_queries(auth_client)
    assert len(auth_client.get("/api/tasks/?page_size=100").json()["results"]) == 50
    assert small == large


@pytest.mark.parametrize("page_size", ["0", "-1", "201", "null", "abc", "²"])
def test_a_page_size_out_of_range_is_refused_by_name(auth_client, page_size):
    response = auth_client.get(f"/api/tasks/?page_size={page_size}")
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_board_column_query_count_is_constant(auth_client, project, member):
    """The board reads each column as one filtered, ordered page: no query per card, whatever the filters."""
    query = f"project={project.id}&status=todo&ordering=-priority,due_at&assignee={member.id}&no_due=true&page_size=50"
    TaskFactory.create_batch(3, project=project, assignee=member, status="todo", due_at=None)
    small = count_list_queries(auth_client, query)
    TaskFactory.create_batch(30, project=project, assignee=member, status="todo", due_at=None)
    assert count_list_queries(auth_client, query) == small
    assert len(auth_client.get(f"/api/tasks/?{query}").json()["results"]) == 33
