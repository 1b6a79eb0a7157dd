from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import Http404

from apps.accounts.models import User
from apps.notifications.models import (
    Notification,
    NotificationPreference,
    NotificationSequence,
    default_email_choices,
)


def notification_list_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("task", "actor").order_by("-seq")


def notification_get_for(*, user: User, notification_id: int) -> Notification:
    try:
        return notification_list_for(user=user).get(pk=notification_id)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such notification.") from exc


def notifications_after(*, user_id: int, after: int, limit: int) -> list[Notification]:
    """The user's notifications with an id above `after`, oldest first (the older resume form)."""
    return list(
        Notification.objects.filter(recipient_id=user_id, id__gt=after)
        .select_related("task", "actor")
        .order_by("id")[:limit]
    )


def notifications_after_seq(*, user_id: int, after_seq: int, limit: int) -> list[Notification]:
    """The user's notifications numbered above `after_seq`, in seq order (resume)."""
    return list(
        Notification.objects.filter(recipient_id=user_id, seq__gt=after_seq)
        .select_related("task", "actor")
        .order_by("seq")[:limit]
    )


def last_seq(*, user_id: int) -> int:
    """The number of the user's newest committed notification (0 before the first)."""
    return NotificationSequence.objects.filter(user_id=user_id).values_list("last_seq", flat=True).first() or 0


def unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def stream_position(*, user_id: int) -> tuple[int, int, list[int]]:
    """(last_notification_id, last_seq, the user's project ids) in one query (one row per membership)."""
    rows = list(
        User.objects.filter(pk=user_id)
        .annotate(
            last_id=Subquery(Notification.objects.filter(recipient_id=OuterRef("pk")).order_by("-id").values("id")[:1]),
            last=Subquery(NotificationSequence.objects.filter(user_id=OuterRef("pk")).values("last_seq")[:1]),
        )
        .values_list("last_id", "last", "memberships__project_id")
    )
    if not rows:
        return 0, 0, []
    return rows[0][0] or 0, rows[0][1] or 0, [row[2] for row in rows if row[2] is not None]


def last_notification_id(*, user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id).aggregate(last=Max("id"))["last"] or 0


def email_choices_for(*, user_id: int) -> dict[str, bool]:
    choices = default_email_choices()
    stored = NotificationPreference.objects.filter(user_id=user_id).values_list("email", flat=True).first()
    if stored:
        choices.update({kind: bool(value) for kind, value in stored.items() if kind in choices})
    return choices
