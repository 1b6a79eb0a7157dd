"""Notification events for the recipient's group, built inside the creating transaction (nothing is read to publish)."""

from apps.common.events import publish_on_commit, user_group
from apps.notifications.models import Notification


def notification_created(*, notification: Notification) -> None:
    from apps.notifications.serializers import NotificationSerializer

    frame = {"type": "notification", "notification": NotificationSerializer(notification).data}
    publish_on_commit(user_group(notification.recipient_id), frame)


def unread_count_changed(*, user_id: int, count: int) -> None:
    publish_on_commit(user_group(user_id), {"type": "unread_count", "count": count})
