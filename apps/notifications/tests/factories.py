import factory
from django.db import transaction

from apps.accounts.tests.factories import UserFactory
from apps.notifications.models import Notification
from apps.notifications.services import notification_seqs_reserve


class NotificationFactory(factory.django.DjangoModelFactory):
    """A stored notification numbered like the service numbers them (the next `seq` of its recipient)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.TASK_ASSIGNED
    message = factory.Sequence(lambda n: f"Notification {n}")
    # As the service stores it: the task's title when the notification was made.
    task_title = factory.LazyAttribute(lambda n: n.task.title if getattr(n, "task", None) is not None else "")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with transaction.atomic():
            if "seq" not in kwargs:
                kwargs["seq"] = notification_seqs_reserve(user_id=kwargs["recipient"].pk, count=1)
            return super()._create(model_class, *args, **kwargs)
