import factory

from apps.projects.tests.factories import ProjectFactory
from apps.tasks.models import Task


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    description = ""
    created_by = factory.LazyAttribute(lambda task: task.project.owner)
