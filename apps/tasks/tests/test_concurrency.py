"""Optimistic concurrency against a real PostgreSQL: of two PATCHes of one version, exactly one wins."""

import threading

import pytest
from django.db import connection

from apps.tasks.models import Task, TaskActivity
from apps.tasks.tests.factories import TaskFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_patches_with_same_version_one_wins(make_client, project):
    task = TaskFactory(project=project)
    client = make_client(project.owner)
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def patch(title: str) -> None:
        try:
            barrier.wait(timeout=10)
            response = client.patch(f"/api/tasks/{task.id}/", {"title": title, "version": 1}, format="json")
            results[title] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=patch, args=(title,)) for title in ("left", "right")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(results.values()) == [200, 409]
    winner = next(title for title, code in results.items() if code == 200)
    stored = Task.objects.get(pk=task.pk)
    assert (stored.title, stored.version) == (winner, 2)
    assert TaskActivity.objects.filter(task=task).count() == 1


@pytest.mark.django_db
def test_version_grows_by_one_per_change(auth_client, project):
    task = TaskFactory(project=project)
    versions = [
        auth_client.patch(f"/api/tasks/{task.id}/", {"title": f"t{n}"}, format="json").json()["version"]
        for n in range(5)
    ]
    assert versions == [2, 3, 4, 5, 6]


@pytest.mark.django_db
def test_conditional_write_refuses_a_version_changed_underneath(user, project):
    """Where SELECT ... FOR UPDATE does nothing (SQLite), the version in the UPDATE still stops a lost update."""
    from apps.tasks import services

    task = TaskFactory(project=project)
    Task.objects.filter(pk=task.pk).update(version=5)  # another writer got there after our read
    stale = Task.objects.get(pk=task.pk)
    stale.version = 1
    original_select = Task.objects.select_for_update

    class StaleManager:
        def select_related(self, *fields):
            return self

        def filter(self, pk):
            return self

        def first(self):
            return stale

    try:
        Task.objects.select_for_update = lambda **options: StaleManager()
        with pytest.raises(services.TaskVersionConflict) as conflict:
            services.task_update(actor=user, task=task, data={"title": "lost?"})
    finally:
        Task.objects.select_for_update = original_select
    assert conflict.value.current.version == 5
    assert Task.objects.get(pk=task.pk).title != "lost?"
