"""Publishing after commit: nothing read to publish, failures retried off the request thread, then given up and
counted; a lost database after commit never turns a committed write into an error."""

import threading

import pytest
from django.db import OperationalError, connection
from prometheus_client import REGISTRY

from apps.common import events as events_module
from apps.common.tests.utils import wait_for
from apps.tasks import services
from apps.tasks.tests.factories import TaskFactory


def failures(kind: str) -> float:
    return REGISTRY.get_sample_value("taskflow_event_publish_failures_total", {"type": kind}) or 0.0


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(events_module, "RETRY_DELAYS", (0.01, 0.02, 0.03))
    monkeypatch.setattr(events_module, "RETRY_WINDOW", 0.2)


@pytest.mark.django_db
def test_publishing_after_commit_reads_nothing(
    django_capture_on_commit_callbacks, django_assert_num_queries, events, user, project, member
):
    task = TaskFactory(project=project, created_by=user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.task_update(actor=user, task=task, data={"status": "done", "assignee": member})
    with django_assert_num_queries(0):  # a database lost right after the commit cannot drop these
        for callback in callbacks:
            callback()
    frames = [event for _, event in events]
    assert [frame["type"] for frame in frames] == ["notification", "notification", "unread_count", "task.updated"]
    assert [frame["notification"]["seq"] for frame in frames[:2]] == [1, 2]  # assigned, and its status changed
    assert frames[2]["count"] == 2
    assert frames[3]["task"]["assignee"] == {"id": member.id, "username": member.username}


def test_a_failed_publish_is_retried_off_the_calling_thread(monkeypatch, quick_retries):
    threads = []

    def flaky(group, event):
        threads.append(threading.current_thread().name)
        if len(threads) < 3:
            raise ConnectionError("redis restarting")

    monkeypatch.setattr(events_module, "dispatch", flaky)
    events_module.publish("project.1", {"type": "task.updated"})  # returns at once, without raising
    wait_for(lambda: len(threads) == 3, timeout=5, what="two retries")
    assert threads[0] == threading.current_thread().name
    assert threads[1:] == ["event-publish-retry"] * 2


def test_a_publish_that_keeps_failing_is_given_up_logged_and_counted(monkeypatch, quick_retries, caplog):
    attempts = []

    def down(group, event):
        attempts.append(1)
        raise ConnectionError("redis down")

    monkeypatch.setattr(events_module, "dispatch", down)
    before = failures("task.deleted")
    events_module.publish("project.1", {"type": "task.deleted"})
    wait_for(lambda: failures("task.deleted") == before + 1, timeout=5, what="the give-up")
    assert len(attempts) >= 1 + len(events_module.RETRY_DELAYS)
    assert "gave up publishing task.deleted to project.1" in caplog.text


def test_while_a_publish_waits_for_a_retry_later_ones_queue_behind_it_in_order(monkeypatch, quick_retries):
    sent, failing = [], [True]

    def flaky(group, event):
        if failing[0]:
            failing[0] = False  # the layer is back after the first failure
            raise ConnectionError("redis restarting")
        sent.append((event["n"], threading.current_thread().name))

    monkeypatch.setattr(events_module, "dispatch", flaky)
    for n in range(5):
        events_module.publish("project.1", {"type": "task.updated", "n": n})
    wait_for(lambda: len(sent) == 5, timeout=5, what="all five")
    assert [n for n, _ in sent] == [0, 1, 2, 3, 4]  # none overtook the one that failed
    assert {thread for _, thread in sent} == {"event-publish-retry"}  # no request waited on the failing layer


@pytest.fixture
def database_lost_after_service(monkeypatch):
    """Run the wrapped service, then make every further query fail as a terminated PostgreSQL backend does."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("terminating connection due to administrator command")

    wrappers = []

    def lose_database_after(function):
        def wrapped(**kwargs):
            result = function(**kwargs)
            wrapper = connection.execute_wrapper(refuse)
            wrapper.__enter__()
            wrappers.append(wrapper)
            return result

        return wrapped

    yield lose_database_after
    for wrapper in wrappers:
        wrapper.__exit__(None, None, None)


@pytest.mark.django_db
def test_a_committed_patch_answers_from_what_the_service_returned(
    monkeypatch, database_lost_after_service, auth_client, project
):
    task = TaskFactory(project=project)
    monkeypatch.setattr(services, "task_update", database_lost_after_service(services.task_update))
    response = auth_client.patch(f"/api/tasks/{task.id}/", {"status": "done", "version": 1}, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["version"]) == ("done", 2)


@pytest.mark.django_db
def test_a_committed_create_answers_from_what_the_service_returned(
    monkeypatch, database_lost_after_service, auth_client, project
):
    monkeypatch.setattr(services, "task_create", database_lost_after_service(services.task_create))
    response = auth_client.post("/api/tasks/", {"project": project.id, "title": "kept"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "kept"


@pytest.mark.django_db
def test_an_unreachable_database_is_a_json_503_not_a_500(auth_client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(refuse):
        response = auth_client.get("/api/tasks/")
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert "database is unavailable" in response.json()["detail"]
