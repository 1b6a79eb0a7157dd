"""The due date part of a stored suggestion is computed when the task is read, so it never goes stale."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from apps.assist.priority.stored import shown, to_stored
from apps.tasks import services as task_services
from apps.tasks.models import Task

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
ROUTINE = to_stored(text_priority="medium", confidence=0.81, cues=["wording resembles routine tasks"])


def test_the_rule_is_applied_at_the_time_of_reading():
    due = NOW + timedelta(hours=30)
    assert shown(ROUTINE, due_at=due, now=NOW) == {
        "priority": "medium",
        "confidence": 0.81,
        "cues": ["wording resembles routine tasks"],
    }
    # Six hours later the same stored suggestion is read again: the deadline is now near.
    later = shown(ROUTINE, due_at=due, now=NOW + timedelta(hours=25))
    assert later["priority"] == "high"
    assert later["cues"] == ["wording resembles routine tasks", "due in 5 h: raised from medium to high"]
    # And after the deadline it says overdue, not "due in 5 h".
    assert shown(ROUTINE, due_at=due, now=NOW + timedelta(hours=32))["cues"][-1] == (
        "overdue by 2 h: raised from medium to high"
    )
    assert shown(None, due_at=due, now=NOW) is None


@pytest.mark.parametrize(
    ("legacy", "text_priority"),
    [
        ({"priority": "high", "confidence": 0.7, "cues": ["x", "due in 5 h: raised from medium to high"]}, "medium"),
        ({"priority": "medium", "confidence": 0.7, "cues": ["x", "overdue by 2 d: raised from low to medium"]}, "low"),
        ({"priority": "high", "confidence": 0.7, "cues": ["x", "due in 3 h (already high)"]}, "high"),
        ({"priority": "low", "confidence": 0.7, "cues": ["x"]}, "low"),
    ],
)
def test_suggestions_stored_in_the_old_shape_lose_their_frozen_due_cue(legacy, text_priority):
    # Far from any deadline now: only the text's reading is left.
    assert shown(legacy, due_at=None, now=NOW) == {"priority": text_priority, "confidence": 0.7, "cues": ["x"]}


@pytest.fixture
def member_task(db):
    from apps.projects.tests.factories import MembershipFactory, ProjectFactory

    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    task = task_services.task_create(
        actor=member, project=project, title="Prepare the quarterly report", due_at=timezone.now() + timedelta(days=3)
    )
    task_services.task_set_suggested_priority(
        task_id=task.pk,
        suggestion=dict(ROUTINE),
        for_title=task.title,
        for_description=task.description,
        for_due_at=task.due_at,
    )
    return member, task


def test_the_api_shows_the_due_cue_of_the_moment(member_task, make_client):
    member, task = member_task
    client = make_client(member)
    far = client.get(f"/api/tasks/{task.id}/").json()["suggested_priority"]
    assert far == {"priority": "medium", "confidence": 0.81, "cues": ["wording resembles routine tasks"]}

    # Time passes (the deadline is moved towards now behind the services' back, so no new suggestion job runs):
    # the stored suggestion is unchanged, and the answer follows the clock.
    Task.objects.filter(pk=task.pk).update(due_at=timezone.now() + timedelta(hours=5, minutes=10))
    near = client.get(f"/api/tasks/{task.id}/").json()["suggested_priority"]
    assert near["priority"] == "high"
    assert near["cues"][-1] == "due in 5 h: raised from medium to high"
    listed = client.get("/api/tasks/", {"project": task.project_id}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["suggested_priority"] for row in rows if row["id"] == task.id] == [near]
    assert Task.objects.get(pk=task.pk).suggested_priority == ROUTINE
