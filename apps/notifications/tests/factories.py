import factory

from apps.accounts.tests.factories import UserFactory
from apps.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.TASK_ASSIGNED
    message = factory.Sequence(lambda n: f"Notification {n}")
