"""Notification emails through the real actor on a StubBroker with a joined worker (SMTP is the scripted backend)."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from apps.notifications import services
from apps.notifications.actors import send_notification_email
from apps.notifications.emails import read_unsubscribe_token, unsubscribe_token
from apps.notifications.models import Notification
from apps.notifications.tests import email_backends
from apps.projects.tests.factories import MembershipFactory, ProjectFactory
from apps.tasks import services as task_services

pytestmark = pytest.mark.django_db(transaction=True)
Status = Notification.EmailStatus


@pytest.fixture
def fast_retries(monkeypatch):
    monkeypatch.setitem(send_notification_email.options, "min_backoff", 10)
    monkeypatch.setitem(send_notification_email.options, "max_backoff", 40)


def assign() -> Notification:
    """Assign a task to a member; the notification's email job is enqueued on commit."""
    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    task_services.task_create(actor=project.owner, project=project, title="Write the launch post", assignee=member)
    return Notification.objects.get(recipient=member)


@pytest.fixture
def assigned(stub_worker):
    return assign()


def join(stub_broker):
    stub_broker.join(send_notification_email.queue_name, timeout=30_000)


def test_email_is_sent_once_with_text_html_task_link_and_unsubscribe(smtp, stub_broker, assigned):
    join(stub_broker)
    assigned.refresh_from_db()
    assert (assigned.email_status, assigned.email_attempts) == (Status.SENT, 1)
    assert assigned.email_sent_at is not None
    [message] = mail.outbox
    assert message.to == [assigned.recipient.email]
    assert assigned.message in message.subject
    assert f"/?project={assigned.task.project_id}&task={assigned.task_id}" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Open it in TaskFlow" in html
    [token] = re.findall(r"/notifications/unsubscribe/([^/\s]+)/", message.body)
    assert read_unsubscribe_token(token) == (assigned.recipient_id, "task_assigned")
    assert message.extra_headers["List-Unsubscribe"].endswith(f"/notifications/unsubscribe/{token}/>")


def test_read_during_grace_period_skips_the_email(settings, smtp, stub_broker, stub_worker):
    settings.NOTIFICATION_EMAIL_GRACE_SECONDS = 0.5
    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    task_services.task_create(actor=project.owner, project=project, title="t", assignee=member)
    notification = Notification.objects.get(recipient=member)
    services.notification_mark_read(user=member, notification=notification)
    join(stub_broker)
    notification.refresh_from_db()
    assert notification.email_status == Status.SKIPPED
    assert notification.email_last_error == "read before the email was due"
    assert mail.outbox == []


def test_unread_after_grace_period_is_sent(settings, smtp, stub_broker, stub_worker):
    settings.NOTIFICATION_EMAIL_GRACE_SECONDS = 0.3
    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    task_services.task_create(actor=project.owner, project=project, title="t", assignee=member)
    join(stub_broker)
    assert Notification.objects.get(recipient=member).email_status == Status.SENT
    assert len(mail.outbox) == 1


def test_preference_off_at_creation_skips_without_a_job(smtp, stub_broker, stub_worker):
    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    services.preferences_update(user=member, email={"task_assigned": False})
    task_services.task_create(actor=project.owner, project=project, title="t", assignee=member)
    join(stub_broker)
    notification = Notification.objects.get(recipient=member)
    assert notification.email_status == Status.SKIPPED
    assert smtp.calls == 0


def test_preference_turned_off_during_grace_period_skips(settings, smtp, stub_broker, stub_worker):
    settings.NOTIFICATION_EMAIL_GRACE_SECONDS = 0.5
    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    task_services.task_create(actor=project.owner, project=project, title="t", assignee=member)
    services.preferences_update(user=member, email={"task_assigned": False})
    join(stub_broker)
    assert Notification.objects.get(recipient=member).email_status == Status.SKIPPED
    assert mail.outbox == []


def test_two_runs_for_one_notification_send_one_email(smtp, stub_broker, assigned):
    send_notification_email.send(assigned.pk)
    send_notification_email.send(assigned.pk)
    join(stub_broker)
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=assigned.pk).email_attempts == 1


def test_live_claim_by_another_run_is_respected(smtp, stub_broker, stub_worker):
    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    with pytest.MonkeyPatch.context() as patch:
        # Hold the job back so the claim below is in place first.
        patch.setattr("apps.notifications.services.enqueue_on_commit", lambda *a, **k: None)
        task_services.task_create(actor=project.owner, project=project, title="t", assignee=member)
    notification = Notification.objects.get(recipient=member)
    Notification.objects.filter(pk=notification.pk).update(email_status=Status.SENDING, email_claimed_at=timezone.now())
    assert services.notification_email_deliver(notification_id=notification.pk).status == "in_progress"
    assert smtp.calls == 0


def test_transient_failure_retries_then_succeeds(smtp, fast_retries, stub_broker, stub_worker):
    smtp.script = [email_backends.transient()]  # the first send fails
    assigned = assign()
    join(stub_broker)
    assigned.refresh_from_db()
    assert (assigned.email_status, assigned.email_attempts) == (Status.SENT, 2)
    assert assigned.email_last_error == ""
    assert len(mail.outbox) == 1


def test_retries_exhausted_record_failed(settings, smtp, fast_retries, stub_broker, stub_worker):
    settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS = 3
    smtp.script = [email_backends.transient() for _ in range(5)]
    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    task_services.task_create(actor=project.owner, project=project, title="t", assignee=member)
    join(stub_broker)
    notification = Notification.objects.get(recipient=member)
    assert (notification.email_status, notification.email_attempts) == (Status.FAILED, 3)
    assert "SMTPServerDisconnected" in notification.email_last_error
    assert smtp.calls == 3
    assert mail.outbox == []


def test_permanent_failure_is_not_retried(smtp, fast_retries, stub_broker, stub_worker):
    smtp.script = [email_backends.permanent(), email_backends.permanent()]
    assigned = assign()
    join(stub_broker)
    assigned.refresh_from_db()
    assert (assigned.email_status, assigned.email_attempts) == (Status.FAILED, 1)
    assert "SMTPRecipientsRefused" in assigned.email_last_error
    assert smtp.calls == 1


def test_recipient_without_address_is_skipped(smtp, stub_broker, stub_worker):
    project = ProjectFactory()
    member = MembershipFactory(project=project, user__email="").user
    task_services.task_create(actor=project.owner, project=project, title="t", assignee=member)
    join(stub_broker)
    assert Notification.objects.get(recipient=member).email_status == Status.SKIPPED
    assert smtp.calls == 0


def test_missing_notification_is_a_no_op(smtp, stub_broker, stub_worker):
    send_notification_email.send(987654321)
    join(stub_broker)
    assert smtp.calls == 0


def test_unsubscribe_link(client, user):
    token = unsubscribe_token(user_id=user.pk, kind="task_status_changed")
    page = client.get(f"/notifications/unsubscribe/{token}/")
    assert page.status_code == 200
    assert "Stop" in page.content.decode()
    done = client.post(f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    from apps.notifications.selectors import email_choices_for

    assert email_choices_for(user_id=user.pk) == {
        "task_assigned": True,
        "task_status_changed": False,
        "deadline_approaching": True,
        "comment_added": True,
        "mentioned": True,
    }
    assert client.get("/notifications/unsubscribe/forged-token/").status_code == 400
