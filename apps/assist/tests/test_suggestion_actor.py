"""The suggestion actor fills `suggested_priority` after a task changes, pushes task.updated, and never decides."""

import httpx
import pytest

from apps.assist.actors import suggest_task_priority
from apps.assist.priority import service as priority_service
from apps.tasks import services as task_services
from apps.tasks.models import Task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _suggestions_on(settings):
    settings.ASSIST_PRIORITY_SUGGESTIONS = True


def join(broker):
    broker.join(suggest_task_priority.queue_name, timeout=60_000)


@pytest.fixture
def project_with_member(db):
    from apps.projects.tests.factories import MembershipFactory, ProjectFactory

    project = ProjectFactory()
    return project, MembershipFactory(project=project).user


def test_creation_computes_a_suggestion_and_pushes_it(
    stub_broker, stub_worker, events, make_client, project_with_member
):
    project, member = project_with_member
    client = make_client(member)
    response = client.post(
        "/api/tasks/",
        {"project": project.id, "title": "URGENT: production database is down", "priority": "low"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["suggested_priority"] is None  # computed after commit, in the background
    join(stub_broker)

    task = Task.objects.get(pk=response.json()["id"])
    # Stored: the reading of the text alone; the due date rule is applied when the task is read.
    assert task.suggested_priority["text_priority"] == "high"
    assert 0 < task.suggested_priority["confidence"] <= 1
    assert task.suggested_priority["cues"]
    assert set(task.suggested_priority) == {"text_priority", "confidence", "cues"}
    shown = {
        "priority": "high",
        "confidence": task.suggested_priority["confidence"],
        "cues": task.suggested_priority["cues"],
    }
    # The user's choice stands: the assistant only suggests.
    assert (task.priority, task.version) == ("low", 1)
    assert not task.activity.filter(kind="updated").exists()

    pushed = [e for g, e in events if g == f"project.{project.id}" and e["type"] == "task.updated"]
    assert pushed[-1]["task"]["suggested_priority"] == shown
    assert client.get(f"/api/tasks/{task.id}/").json()["suggested_priority"] == shown


def test_text_change_recomputes_but_other_changes_do_not(stub_broker, stub_worker, project_with_member):
    project, member = project_with_member
    task = task_services.task_create(actor=member, project=project, title="maybe tidy the wiki someday")
    join(stub_broker)
    task.refresh_from_db()
    assert task.suggested_priority["text_priority"] == "low"

    task_services.task_update(actor=member, task=task, data={"status": "in_progress"})
    assert stub_broker.queues[suggest_task_priority.queue_name].qsize() == 0  # nothing to recompute
    task_services.task_update(actor=member, task=task, data={"title": "URGENT: production database is down"})
    join(stub_broker)
    task.refresh_from_db()
    assert task.suggested_priority["text_priority"] == "high"
    assert task.priority == "medium"


def test_a_suggestion_for_an_outdated_text_is_dropped(project_with_member):
    project, member = project_with_member
    task = task_services.task_create(actor=member, project=project, title="new title")
    stored = task_services.task_set_suggested_priority(
        task_id=task.pk,
        suggestion={"priority": "high", "confidence": 0.9, "cues": ["x"]},
        for_title="old title",
        for_description="",
        for_due_at=None,
    )
    assert stored is False
    task.refresh_from_db()
    assert task.suggested_priority is None


def test_model_failure_leaves_no_suggestion_and_breaks_nothing(
    settings, stub_broker, stub_worker, make_client, project_with_member, tmp_path
):
    settings.ASSIST_PRIORITY_HEAD = str(tmp_path / "missing-head.json")
    priority_service.reset_cache()
    try:
        project, member = project_with_member
        response = make_client(member).post("/api/tasks/", {"project": project.id, "title": "Fix it"}, format="json")
        assert response.status_code == 201
        join(stub_broker)
        assert Task.objects.get(pk=response.json()["id"]).suggested_priority is None
        assert stub_broker.dead_letters == []
    finally:
        priority_service.reset_cache()


def test_task_creation_succeeds_while_the_llm_provider_fails(settings, monkeypatch, make_client, project_with_member):
    """Enhancement is only ever asked for by the user; a failing provider touches no task path."""
    from apps.assist.enhance import provider

    settings.GROQ_API_KEY = "test-key"

    def failing(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500, json={"error": {"message": "upstream broke"}})

    monkeypatch.setattr(provider, "http_client_factory", lambda: httpx.Client(transport=httpx.MockTransport(failing)))
    project, member = project_with_member
    client = make_client(member)
    enhance = client.post("/api/assist/enhance/", {"text": "fix teh login bug"}, format="json")
    assert enhance.status_code == 503
    response = client.post("/api/tasks/", {"project": project.id, "title": "fix teh login bug"}, format="json")
    assert response.status_code == 201
    assert Task.objects.filter(title="fix teh login bug").count() == 1
