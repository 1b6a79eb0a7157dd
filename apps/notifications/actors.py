"""Background work of notifications: thin actors taking ids and calling services."""

import dramatiq
from django.conf import settings
from dramatiq_crontab import cron

from apps.notifications import services
from apps.notifications.emails import TransientEmailError


def _retry_only_transient(retries_so_far: int, exc: BaseException) -> bool:
    # Permanent failures are recorded by the service and not raised; anything else unexpected is not retried either.
    # The service counts attempts in the database and stops raising at the last one; this bound is a second fence.
    return isinstance(exc, TransientEmailError) and retries_so_far < settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS - 1


@dramatiq.actor(
    min_backoff=settings.NOTIFICATION_EMAIL_MIN_BACKOFF_MS,
    max_backoff=settings.NOTIFICATION_EMAIL_MAX_BACKOFF_MS,
    retry_when=_retry_only_transient,
    time_limit=settings.DRAMATIQ_TIME_LIMIT_MS,
)
def send_notification_email(notification_id: int) -> None:
    outcome = services.notification_email_deliver(notification_id=notification_id)
    if outcome.retry_in_ms is not None:
        # Woken before its grace period ended (a sweep, a clock skew): come back when it is due.
        send_notification_email.send_with_options(args=(notification_id,), delay=outcome.retry_in_ms)


@cron("* * * * *")
@dramatiq.actor(max_retries=0, time_limit=settings.DRAMATIQ_TIME_LIMIT_MS)
def scan_deadlines() -> None:
    """Every minute: remind of deadlines entering the window. A missed minute is caught up by the next scan."""
    services.deadline_reminders_create()


@cron("*/5 * * * *")
@dramatiq.actor(max_retries=0, time_limit=settings.DRAMATIQ_TIME_LIMIT_MS)
def sweep_pending_emails() -> None:
    services.notification_emails_sweep()
