"""Background work of notifications: thin actors taking ids and calling services."""

import datetime

import dramatiq
from django.conf import settings
from dramatiq.middleware import CurrentMessage
from dramatiq_crontab import interval

from apps.notifications import services
from apps.notifications.emails import TransientEmailError

# Retries of a job whose database writes failed (nothing was sent): the database may take a while to come back.
STATE_ERROR_RETRIES = 20


def _retry_transient(retries_so_far: int, exc: BaseException) -> bool:
    # Permanent failures are recorded by the service and not raised; anything else unexpected is not retried either.
    # The service counts attempts in the database and stops raising at the last one; this bound is a second fence.
    if isinstance(exc, TransientEmailError):
        return retries_so_far < settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS - 1
    return isinstance(exc, services.EmailStateError) and retries_so_far < STATE_ERROR_RETRIES


@dramatiq.actor(
    min_backoff=settings.NOTIFICATION_EMAIL_MIN_BACKOFF_MS,
    max_backoff=settings.NOTIFICATION_EMAIL_MAX_BACKOFF_MS,
    retry_when=_retry_transient,
    time_limit=settings.DRAMATIQ_TIME_LIMIT_MS,
)
def send_notification_email(notification_id: int) -> None:
    message = CurrentMessage.get_current_message()
    outcome = services.notification_email_deliver(
        notification_id=notification_id, claim_token=message.message_id if message else ""
    )
    if outcome.retry_in_ms is not None:
        # Woken before its grace period ended (a sweep, a clock skew): come back when it is due.
        send_notification_email.send_with_options(args=(notification_id,), delay=outcome.retry_in_ms)


@dramatiq.actor(max_retries=30, min_backoff=1_000, max_backoff=60_000, time_limit=settings.DRAMATIQ_TIME_LIMIT_MS)
def record_notification_email_sent(notification_id: int, sent_at: str) -> None:
    """The mail server accepted the email while the database was away: record it once the database is back."""
    services.notification_email_record_sent(
        notification_id=notification_id, at=datetime.datetime.fromisoformat(sent_at)
    )


@interval(seconds=settings.DEADLINE_SCAN_EVERY_SECONDS)
@dramatiq.actor(max_retries=0, time_limit=settings.DRAMATIQ_TIME_LIMIT_MS)
def scan_deadlines() -> None:
    """Remind of deadlines entering the window. A missed run is caught up by the next scan."""
    services.deadline_reminders_create()


@interval(seconds=settings.NOTIFICATION_EMAIL_SWEEP_EVERY_SECONDS)
@dramatiq.actor(max_retries=0, time_limit=settings.DRAMATIQ_TIME_LIMIT_MS)
def sweep_pending_emails() -> None:
    services.notification_emails_sweep()
