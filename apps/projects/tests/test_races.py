"""Races between writers on PostgreSQL, made deterministic: one thread holds its transaction open until the other is
seen waiting for a lock (pg_stat_activity), then commits. Each answer must be a JSON 4xx, never a 500, and the rows
must stay consistent (an assignee is a member; an owner hand-over is not undone)."""

import pytest

from apps.common.tests.races import race
from apps.projects import services as project_services
from apps.projects.models import Membership, Project
from apps.projects.tests.factories import MembershipFactory
from apps.tasks import services as task_services
from apps.tasks.models import Task
from apps.tasks.tests.factories import TaskFactory

# The thread tests watch pg_stat_activity and rely on row locks, which SQLite does not have (it serialises writers).
postgres_threads = pytest.mark.django_db(transaction=True)


@pytest.mark.postgres
@postgres_threads
def test_concurrent_member_adds_answer_400_not_500(make_client, project, other_user):
    client = make_client(project.owner)

    def add_directly():
        project_services.membership_add(actor=project.owner, project=project, user=other_user)

    def add_over_api():
        return client.post(f"/api/projects/{project.id}/members/", {"username": other_user.username}, format="json")

    response = race(add_directly, add_over_api)
    assert response.status_code == 400, response.content
    assert "already a member" in str(response.json())
    assert Membership.objects.filter(project=project, user=other_user).count() == 1


@pytest.mark.postgres
@postgres_threads
def test_patch_racing_a_delete_answers_404_not_500(make_client, project):
    task = TaskFactory(project=project)
    client = make_client(project.owner)

    def delete_directly():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        task_services.task_delete(actor=project.owner, task=locked)

    def patch_over_api():
        return client.patch(f"/api/tasks/{task.id}/", {"title": "too late"}, format="json")

    response = race(delete_directly, patch_over_api)
    assert response.status_code == 404, response.content
    assert response.json() == {"detail": "No such task."}
    assert not Task.objects.filter(pk=task.pk).exists()


@pytest.mark.postgres
@postgres_threads
def test_project_patch_racing_a_delete_answers_404_and_does_not_bring_it_back(make_client, project):
    client = make_client(project.owner)

    def delete_directly():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        project_services.project_delete(actor=project.owner, project=locked)

    def patch_over_api():
        return client.patch(f"/api/projects/{project.id}/", {"name": "too late"}, format="json")

    response = race(delete_directly, patch_over_api)
    assert response.status_code == 404, response.content
    assert not Project.objects.filter(pk=project.pk).exists()


@pytest.mark.postgres
@postgres_threads
def test_assignment_racing_the_removal_of_the_assignee_leaves_no_task_with_a_non_member(make_client, project):
    """The assignment commits first (holding the membership row): the removal then sees and unassigns the task."""
    leaving = MembershipFactory(project=project).user
    task = TaskFactory(project=project)
    client = make_client(project.owner)

    def assign_directly():
        task_services.task_update(actor=project.owner, task=task, data={"assignee": leaving})

    def remove_over_api():
        return client.delete(f"/api/projects/{project.id}/members/{leaving.id}/")

    response = race(assign_directly, remove_over_api)
    assert response.status_code == 204, response.content
    assert not Membership.objects.filter(project=project, user=leaving).exists()
    assert Task.objects.get(pk=task.pk).assignee_id is None


@pytest.mark.postgres
@postgres_threads
def test_removal_racing_an_assignment_of_the_leaving_member_refuses_the_assignment(make_client, project):
    """The removal commits first (holding the membership row): the assignment then finds no member and answers 400."""
    leaving = MembershipFactory(project=project)
    task = TaskFactory(project=project)
    client = make_client(project.owner)

    def remove_directly():
        project_services.membership_remove(actor=project.owner, project=project, membership=leaving)

    def assign_over_api():
        return client.patch(f"/api/tasks/{task.id}/", {"assignee": leaving.user_id}, format="json")

    response = race(remove_directly, assign_over_api)
    assert response.status_code == 400, response.content
    assert "assignee" in response.json()
    assert Task.objects.get(pk=task.pk).assignee_id is None


@pytest.mark.postgres
@postgres_threads
def test_concurrent_removals_of_one_member_answer_404_not_500(make_client, project):
    leaving = MembershipFactory(project=project)
    client = make_client(project.owner)

    def remove_directly():
        project_services.membership_remove(actor=project.owner, project=project, membership=leaving)

    def remove_over_api():
        return client.delete(f"/api/projects/{project.id}/members/{leaving.user_id}/")

    response = race(remove_directly, remove_over_api)
    assert response.status_code == 404, response.content


@pytest.mark.django_db
def test_project_update_does_not_undo_an_owner_hand_over(project):
    """A PATCH holding the project as read before the owner left must not write the old owner back."""
    old_owner = project.owner
    successor = MembershipFactory(project=project, role=Membership.Role.OWNER).user
    stale = Project.objects.get(pk=project.pk)  # what the PATCH view read
    project_services.membership_remove(
        actor=old_owner, project=project, membership=Membership.objects.get(project=project, user=old_owner)
    )
    assert Project.objects.get(pk=project.pk).owner_id == successor.id

    project_services.project_update(actor=old_owner, project=stale, data={"name": "Renamed"})

    stored = Project.objects.get(pk=project.pk)
    assert (stored.name, stored.owner_id) == ("Renamed", successor.id)
