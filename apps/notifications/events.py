"""Notification events for the recipient's group, built after commit from the stored rows."""

from apps.common.events import Event, publish_on_commit, user_group
from apps.notifications.models import Notification
from apps.notifications.selectors import unread_count


def notification_created(*, notification_id: int, recipient_id: int) -> None:
    def build() -> Event | None:
        from apps.notifications.serializers import NotificationSerializer

        stored = Notification.objects.select_related("task", "actor").filter(pk=notification_id).first()
        if stored is None:
            return None
        return {"type": "notification", "notification": NotificationSerializer(stored).data}

    publish_on_commit(user_group(recipient_id), build)


def unread_count_changed(*, user_id: int) -> None:
    publish_on_commit(user_group(user_id), lambda: {"type": "unread_count", "count": unread_count(user_id=user_id)})
