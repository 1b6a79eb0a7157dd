import factory

from apps.accounts.tests.factories import UserFactory
from apps.projects.models import Membership, Project


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project whose owner is an owner member, as project_create makes it."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Project {n}")
    description = "Things to do"
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def owner_membership(obj, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(project=obj, user=obj.owner, defaults={"role": Membership.Role.OWNER})


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
