import factory

from apps.projects.tests.factories import ProjectFactory
from apps.tasks.models import Task


class TaskFactory(factory.django.DjangoModelFactory):
    """A task as task_create leaves it: its creator and assignee watch it."""

    class Meta:
        model = Task
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    description = ""
    created_by = factory.LazyAttribute(lambda task: task.project.owner)

    @factory.post_generation
    def watchers(obj, create, extracted, **kwargs):
        if create:
            from apps.collaboration.services import watchers_ensure

            watchers_ensure(task=obj, user_ids=[obj.created_by_id, obj.assignee_id])
