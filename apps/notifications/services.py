"""Notifications services: create (inside the caller's transaction), mark read, email preferences, email delivery,
deadline reminders and the email sweeper."""

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.accounts.models import User
from apps.common.jobs import enqueue_on_commit
from apps.notifications import emails, events, rules
from apps.notifications.models import DeadlineReminder, Notification, NotificationPreference, NotificationSequence
from apps.notifications.selectors import email_choices_for, unread_count
from apps.projects.selectors import is_member
from apps.tasks.models import Task

logger = logging.getLogger(__name__)
EmailStatus = Notification.EmailStatus
T = TypeVar("T")


def _email_actor():
    from apps.notifications.actors import send_notification_email  # actors import services, not the other way round

    return send_notification_email


def notification_seqs_reserve(*, user_id: int, count: int) -> int:
    """Reserve the user's next `count` notification numbers and return the first.

    One statement creates or bumps the user's counter row and locks it until the caller's transaction ends, so a
    concurrent transaction for the same user waits, then numbers after it: seq order is commit order, with no holes.
    """
    table = connection.ops.quote_name(NotificationSequence._meta.db_table)
    with connection.cursor() as cursor:
        # The table name comes from the model, the values are parameters.
        cursor.execute(
            f"INSERT INTO {table} (user_id, last_seq) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT (user_id) DO UPDATE SET last_seq = {table}.last_seq + excluded.last_seq RETURNING last_seq",
            [user_id, count],
        )
        (last,) = cursor.fetchone()
    return last - count + 1


def notifications_create(*, planned: list[rules.Planned], task: Task | None, actor: User | None) -> list[Notification]:
    """Store planned notifications inside the caller's transaction, numbered per recipient.

    After commit each goes to its recipient's sockets, then the new unread count; the frames are built here, inside the
    transaction, so nothing is read again to publish. Each email is enqueued to run once the grace period is over
    (unless the recipient turned that kind off).
    """
    by_recipient: dict[int, list[rules.Planned]] = {}
    for plan in planned:
        by_recipient.setdefault(plan.recipient_id, []).append(plan)
    created = []
    now = timezone.now()
    grace = datetime.timedelta(seconds=settings.NOTIFICATION_EMAIL_GRACE_SECONDS)
    # Counter rows are locked in user order, so two transactions notifying the same people cannot deadlock.
    for recipient_id in sorted(by_recipient):
        plans = by_recipient[recipient_id]
        first_seq = notification_seqs_reserve(user_id=recipient_id, count=len(plans))
        choices = email_choices_for(user_id=recipient_id)
        for offset, plan in enumerate(plans):
            wanted = choices.get(plan.kind, True)
            notification = Notification.objects.create(
                recipient_id=recipient_id,
                seq=first_seq + offset,
                kind=plan.kind,
                task=task,
                task_title=task.title if task is not None else "",
                actor=actor,
                message=plan.message,
                email_status=EmailStatus.PENDING if wanted else EmailStatus.SKIPPED,
                email_last_error="" if wanted else "email for this kind is off",
                email_due_at=now + grace,
                email_enqueued_at=now if wanted else None,
            )
            events.notification_created(notification=notification)
            if wanted:
                enqueue_on_commit(_email_actor(), notification.pk, delay_ms=int(grace.total_seconds() * 1000))
            created.append(notification)
        events.unread_count_changed(user_id=recipient_id, count=unread_count(user_id=recipient_id))
    return created


def notify_task_change(
    *, actor: User | None, task: Task, changes: dict[str, list[Any]], mention_ids: list[int] = ()
) -> list[Notification]:
    """Run the notification rules for a task change; called inside the task service's transaction."""
    planned = rules.for_task_change(actor=actor, task=task, changes=changes, mention_ids=mention_ids)
    return notifications_create(planned=planned, task=task, actor=actor)


def notify_comment(*, actor: User, task: Task, new_mention_ids: list[int], created: bool) -> list[Notification]:
    """Run the notification rules for a new or edited comment; called inside the comment service's transaction."""
    planned = rules.for_comment(actor=actor, task=task, new_mention_ids=new_mention_ids, created=created)
    return notifications_create(planned=planned, task=task, actor=actor)


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Idempotent: a notification already read keeps its first read time."""
    if notification.read_at is None:
        updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
        if updated:
            events.unread_count_changed(user_id=user.pk, count=unread_count(user_id=user.pk))
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    updated = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if updated:
        events.unread_count_changed(user_id=user.pk, count=unread_count(user_id=user.pk))
    return updated


@transaction.atomic
def preferences_update(*, user: User, email: dict[str, bool]) -> dict[str, bool]:
    """Merge the given per-kind email choices into the user's stored ones and return the full set."""
    choices = email_choices_for(user_id=user.pk)
    choices.update(email)
    NotificationPreference.objects.update_or_create(user=user, defaults={"email": choices})
    return choices


# --- email delivery -----------------------------------------------------------------------------------------------


class EmailStateError(Exception):
    """The database failed around the claim or the recorded outcome: the job is retried, nothing was sent twice."""


@dataclass(frozen=True)
class EmailOutcome:
    status: str
    retry_in_ms: int | None = None  # set when the email is not due yet


# Pauses between attempts of an email state write that failed on the database, each on a fresh connection.
STATE_WRITE_PAUSES = (0.2, 0.5, 1.0, 2.0)


def _on_fresh_connection(write: Callable[[], T]) -> T:
    """Run a state write, retrying on a new connection when the database drops it (a restart, a terminated backend).

    Raises EmailStateError once the pauses are used up.
    """
    for pause in (*STATE_WRITE_PAUSES, None):
        try:
            return write()
        except (OperationalError, InterfaceError) as exc:
            connection.close()  # the next attempt connects anew
            if pause is None:
                raise EmailStateError(f"{type(exc).__name__}: {exc}") from exc
            logger.warning("email state write failed (%s); retrying on a new connection", exc)
            time.sleep(pause)
    raise AssertionError("unreachable")


def _finish(notification_id: int, status: str, **fields) -> EmailOutcome:
    Notification.objects.filter(pk=notification_id).update(email_status=status, email_claimed_at=None, **fields)
    return EmailOutcome(status)


def _claim(notification_id: int, claim_token: str) -> tuple[Notification | None, EmailOutcome | None]:
    """Decide under a row lock whether this run sends; if so, mark the notification `sending` (the claim).

    A live claim of another run is respected. A claim made with this run's own token (the same job delivered again
    after its worker died) is taken over at once; any other claim only once it is older than the claim timeout.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient", "task")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return None, EmailOutcome("missing")
        now = timezone.now()
        status = notification.email_status
        if status in (EmailStatus.SENT, EmailStatus.SKIPPED, EmailStatus.FAILED):
            return None, EmailOutcome(status)
        stale_before = now - datetime.timedelta(seconds=settings.NOTIFICATION_EMAIL_CLAIM_TIMEOUT)
        if (
            status == EmailStatus.SENDING
            and not (claim_token and notification.email_claim_token == claim_token)
            and notification.email_claimed_at
            and notification.email_claimed_at > stale_before
        ):
            return None, EmailOutcome("in_progress")  # another run holds a live claim
        if notification.read_at is not None:
            return None, _finish(notification_id, EmailStatus.SKIPPED, email_last_error="read before the email was due")
        recipient = notification.recipient
        if not email_choices_for(user_id=recipient.pk).get(notification.kind, True):
            return None, _finish(notification_id, EmailStatus.SKIPPED, email_last_error="email for this kind is off")
        if notification.task is not None and not is_member(
            user_id=recipient.pk, project_id=notification.task.project_id
        ):
            # Left the project during the grace period: nothing about it reaches them any more.
            return None, _finish(notification_id, EmailStatus.SKIPPED, email_last_error="no longer a project member")
        if not recipient.is_active or not recipient.email:
            return None, _finish(notification_id, EmailStatus.SKIPPED, email_last_error="no active email address")
        if not recipient.email_verified:
            # Until its owner proves the address reaches them, nothing is sent there (it may be someone else's).
            return None, _finish(notification_id, EmailStatus.SKIPPED, email_last_error="email address not verified")
        if notification.email_due_at and notification.email_due_at > now:
            wait_ms = int((notification.email_due_at - now).total_seconds() * 1000) + 1
            return None, EmailOutcome(EmailStatus.PENDING, retry_in_ms=wait_ms)
        notification.email_attempts += 1
        Notification.objects.filter(pk=notification_id).update(
            email_status=EmailStatus.SENDING,
            email_claimed_at=now,
            email_claim_token=claim_token,
            email_attempts=notification.email_attempts,
        )
        return notification, None


def notification_email_deliver(*, notification_id: int, claim_token: str = "") -> EmailOutcome:
    """Send one notification's email once, under a stable Message-ID (a resend after a crash is recognisable).

    Skips it when the notification was read in the grace period, the recipient turned the kind off, or has no address.
    Transient SMTP failures raise TransientEmailError (the actor retries with backoff) until the attempts run out,
    then the state is `failed`; permanent ones fail at once. The row lock is not held while talking SMTP.
    `claim_token` names the job (its Dramatiq message id), so the same job delivered again takes its own claim over.

    Database failures around the claim raise EmailStateError (the job is retried, nothing was sent). After SMTP has
    accepted the message, a failing database must not lead to a second send: the outcome is written on a fresh
    connection, and if the database stays away it is handed to a job of its own (`record_notification_email_sent`).
    """
    notification, outcome = _on_fresh_connection(lambda: _claim(notification_id, claim_token))
    if outcome is not None:
        return outcome
    try:
        emails.build_message(notification).send(fail_silently=False)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        if emails.is_transient(exc) and notification.email_attempts < settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS:
            _on_fresh_connection(lambda: _finish(notification_id, EmailStatus.PENDING, email_last_error=error))
            raise emails.TransientEmailError(error) from exc
        logger.warning("email for notification %s failed for good: %s", notification_id, error)
        return _on_fresh_connection(lambda: _finish(notification_id, EmailStatus.FAILED, email_last_error=error))
    sent_at = timezone.now()
    try:
        return _on_fresh_connection(lambda: notification_email_record_sent(notification_id=notification_id, at=sent_at))
    except EmailStateError:
        from apps.notifications.actors import record_notification_email_sent

        logger.error("email for notification %s was sent; its state is left to a job", notification_id)
        record_notification_email_sent.send(notification_id, sent_at.isoformat())
        return EmailOutcome(EmailStatus.SENT)


def notification_email_record_sent(*, notification_id: int, at: datetime.datetime) -> EmailOutcome:
    """Record that the mail server accepted the notification's email (idempotent)."""
    return _finish(notification_id, EmailStatus.SENT, email_sent_at=at, email_last_error="")


def _not_enqueued_since(moment: datetime.datetime) -> Q:
    return Q(email_enqueued_at__isnull=True) | Q(email_enqueued_at__lt=moment)


def notification_emails_sweep(*, now: datetime.datetime | None = None) -> int:
    """Re-enqueue emails that are stuck: still pending well past their time (a crash between commit and enqueue, a
    wiped queue), or claimed by a run that went silent longer than the claim timeout (a killed worker).

    A stale claim is thus taken over within the claim timeout plus one sweep period. Idempotent: each is re-enqueued
    at most once per period, and delivery itself sends at most once.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.NOTIFICATION_EMAIL_SWEEP_AFTER)
    stale_claim = now - datetime.timedelta(seconds=settings.NOTIFICATION_EMAIL_CLAIM_TIMEOUT)
    waiting = Notification.objects.filter(
        (Q(email_status=EmailStatus.PENDING, email_due_at__lt=cutoff) & _not_enqueued_since(cutoff))
        | (Q(email_status=EmailStatus.SENDING, email_claimed_at__lt=stale_claim) & _not_enqueued_since(stale_claim))
    )
    with transaction.atomic():
        ids = list(waiting.select_for_update(skip_locked=True).values_list("id", flat=True)[:1000])
        Notification.objects.filter(pk__in=ids).update(email_enqueued_at=now)
        for notification_id in ids:
            enqueue_on_commit(_email_actor(), notification_id)
    if ids:
        logger.info("sweeper re-enqueued %d waiting emails", len(ids))
    return len(ids)


# --- deadline reminders -------------------------------------------------------------------------------------------


def deadline_reminders_create(*, now: datetime.datetime | None = None) -> int:
    """Create one `deadline_approaching` notification per task and deadline for open tasks due within the window.

    Each reminder is claimed by inserting its DeadlineReminder row under a unique constraint, so scans running at the
    same time (two schedulers) still create exactly one. A changed `due_at` has no row yet: the reminder re-arms.
    """
    now = now or timezone.now()
    window = datetime.timedelta(hours=settings.DEADLINE_REMINDER_WINDOW_HOURS)
    catch_up = datetime.timedelta(hours=settings.DEADLINE_REMINDER_CATCH_UP_HOURS)
    already = DeadlineReminder.objects.filter(task=OuterRef("pk"), due_at=OuterRef("due_at"))
    due_ids = list(
        Task.objects.filter(due_at__isnull=False, due_at__lte=now + window, due_at__gt=now - catch_up)
        .exclude(status=Task.Status.DONE)
        .exclude(Exists(already))
        .order_by("due_at")
        .values_list("id", flat=True)[:1000]
    )
    created = 0
    for task_id in due_ids:
        created += _remind(task_id=task_id, now=now, window=window, catch_up=catch_up)
    return created


def _remind(*, task_id: int, now: datetime.datetime, window: datetime.timedelta, catch_up: datetime.timedelta) -> int:
    try:
        with transaction.atomic():
            task = (
                Task.objects.filter(pk=task_id, due_at__lte=now + window, due_at__gt=now - catch_up)
                .exclude(status=Task.Status.DONE)
                .first()
            )
            if task is None:  # done or rescheduled since the scan read it
                return 0
            reminder = DeadlineReminder.objects.create(task=task, due_at=task.due_at)
            planned = rules.for_deadline(task=task)
            if planned:
                # The reminder row points at one of them (the first watcher's): it marks the claim, not the audience.
                notification = notifications_create(planned=planned, task=task, actor=None)[0]
                reminder.notification = notification
                reminder.save(update_fields=["notification"])
            return 1
    except IntegrityError:
        return 0  # another scan claimed this task and deadline first
