"""Emails are sent once even when the database fails around the send, and a resend is recognisable by Message-ID."""

import datetime

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

from apps.notifications import emails, services
from apps.notifications.actors import record_notification_email_sent, send_notification_email
from apps.notifications.models import Notification
from apps.notifications.tests import email_backends
from apps.notifications.tests.test_email_delivery import assign, join

pytestmark = pytest.mark.django_db(transaction=True)
Status = Notification.EmailStatus


class DatabaseOutage:
    """The next `queries` queries of the current thread's connection fail, as during a restart; then it is back."""

    def __init__(self, queries: int):
        self.left = queries

    def __call__(self, execute, sql, params, many, context):
        if self.left > 0:
            self.left -= 1
            raise OperationalError("terminating connection due to administrator command")
        return execute(sql, params, many, context)


class OutageAfterSend(email_backends.ScriptedBackend):
    """The mail server accepts the message, then the database goes away for `queries` queries."""

    queries = 0

    def send_messages(self, messages):
        sent = super().send_messages(messages)
        connection.execute_wrappers.append(DatabaseOutage(type(self).queries))
        return sent


@pytest.fixture
def quick_state_retries(smtp, monkeypatch, settings):
    monkeypatch.setattr(services, "STATE_WRITE_PAUSES", (0.01, 0.01))
    monkeypatch.setitem(send_notification_email.options, "min_backoff", 10)
    monkeypatch.setitem(send_notification_email.options, "max_backoff", 40)
    monkeypatch.setitem(record_notification_email_sent.options, "min_backoff", 10)
    monkeypatch.setitem(record_notification_email_sent.options, "max_backoff", 40)
    settings.EMAIL_BACKEND = "apps.notifications.tests.test_email_idempotency.OutageAfterSend"


def resend_when_stale(settings, stub_broker) -> None:
    """What the sweeper would do once the claim timeout has passed: enqueue whatever still looks unsent, and run it."""
    settings.NOTIFICATION_EMAIL_CLAIM_TIMEOUT = 0
    services.notification_emails_sweep(now=timezone.now() + datetime.timedelta(days=1))
    join(stub_broker)


def test_message_id_is_stable_per_notification(smtp, stub_broker, stub_worker, settings):
    notification = assign()
    join(stub_broker)
    [sent] = mail.outbox
    expected = f"<notification.{notification.pk}.{notification.recipient_id}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"
    assert sent.message()["Message-ID"] == expected
    assert emails.build_message(notification).message()["Message-ID"] == expected  # a resend says the same


@pytest.mark.parametrize("queries", [2, 3], ids=["brief", "three-attempts"])
def test_a_database_blip_after_the_send_is_written_on_a_fresh_connection(
    quick_state_retries, settings, stub_broker, stub_worker, queries
):
    OutageAfterSend.queries = queries  # fewer failures than write attempts (1 + 2 pauses)
    notification = assign()
    join(stub_broker)
    notification.refresh_from_db()
    assert notification.email_status == Status.SENT
    resend_when_stale(settings, stub_broker)
    assert len(mail.outbox) == 1


def test_a_database_outage_after_the_send_is_recorded_by_a_job_and_never_resent(
    quick_state_retries, settings, stub_broker, stub_worker
):
    OutageAfterSend.queries = 5  # outlasts the inline attempts: the outcome goes to record_notification_email_sent
    notification = assign()
    join(stub_broker)
    stub_broker.join(record_notification_email_sent.queue_name, timeout=30_000)
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (Status.SENT, 1)
    resend_when_stale(settings, stub_broker)
    assert len(mail.outbox) == 1


def test_a_database_outage_at_the_claim_retries_the_job_and_sends_once(
    quick_state_retries, monkeypatch, stub_broker, stub_worker
):
    outage = DatabaseOutage(4)  # the claim's three attempts fail: EmailStateError, and the job is retried
    real_claim = services._claim

    def claim_in_outage(notification_id, claim_token):
        if outage not in connection.execute_wrappers:
            connection.execute_wrappers.append(outage)
        return real_claim(notification_id, claim_token)

    monkeypatch.setattr(services, "_claim", claim_in_outage)
    notification = assign()
    join(stub_broker)
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (Status.SENT, 1)
    assert len(mail.outbox) == 1


def test_the_same_job_delivered_again_takes_its_own_claim_over_at_once(smtp):
    notification = assign()
    Notification.objects.filter(pk=notification.pk).update(
        email_status=Status.SENDING, email_claimed_at=timezone.now(), email_claim_token="job-1"
    )
    assert services.notification_email_deliver(notification_id=notification.pk, claim_token="job-2").status == (
        "in_progress"
    )
    assert services.notification_email_deliver(notification_id=notification.pk, claim_token="job-1").status == (
        Status.SENT
    )
    assert len(mail.outbox) == 1


def test_a_stale_claim_is_swept_within_the_claim_timeout_plus_one_period(settings, smtp):
    settings.NOTIFICATION_EMAIL_CLAIM_TIMEOUT = 20
    settings.NOTIFICATION_EMAIL_SWEEP_AFTER = 300
    notification = assign()
    now = timezone.now()
    # Claimed 21 s ago by a worker that was killed; due a moment before that (well inside SWEEP_AFTER).
    Notification.objects.filter(pk=notification.pk).update(
        email_status=Status.SENDING,
        email_claimed_at=now - datetime.timedelta(seconds=21),
        email_due_at=now - datetime.timedelta(seconds=22),
        email_enqueued_at=now - datetime.timedelta(seconds=22),
    )
    assert services.notification_emails_sweep(now=now) == 1
    assert services.notification_emails_sweep(now=now) == 0  # once per period
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=now - datetime.timedelta(seconds=5))
    assert services.notification_emails_sweep(now=now + datetime.timedelta(seconds=10)) == 0  # a live claim
