"""`mentioned` notifications end to end: a comment posted through the REST API, its notification stored, and its email
delivered by a real worker to a real SMTP server (API.md, "Notifications" and "Comments, labels, watchers").

The first test runs `manage.py rundramatiq` on the Redis broker mailing an aiosmtpd sink (the service pass); the others
run the real actor on a StubBroker with a joined worker, SMTP being the scripted backend (both passes).
"""

import pytest
from django.conf import settings
from django.core import mail

from apps.accounts.tests.factories import UserFactory
from apps.common.tests.topology import SmtpSink
from apps.common.tests.utils import WorkerProcess, subprocess_env, wait_for
from apps.notifications.actors import send_notification_email
from apps.notifications.models import Notification
from apps.projects.tests.factories import MembershipFactory, ProjectFactory
from apps.realtime.tests.test_scaleout import database_url

Status = Notification.EmailStatus


def team():
    """alice owns the project, bob is a member, carol (verified address too) is not in it."""
    alice = UserFactory(username="alice")
    project = ProjectFactory(owner=alice, name="Launch")
    bob = MembershipFactory(project=project, user=UserFactory(username="bob")).user
    carol = UserFactory(username="carol")
    return project, alice, bob, carol


def new_task(client, project, **fields) -> dict:
    response = client.post("/api/tasks/", {"project": project.id, **fields}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def comment(client, task: dict, body: str) -> dict:
    response = client.post(f"/api/tasks/{task['id']}/comments/", {"body": body}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def mentions_of(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=Notification.Kind.MENTIONED))


def task_link(project, task: dict) -> str:
    return f"{settings.SITE_URL}/?project={project.id}&task={task['id']}"


# --- a real worker and a real SMTP server -------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_mention_in_a_comment_through_the_api_emails_the_member_once_through_rundramatiq(
    redis_jobs, make_client, tmp_path
):
    project, alice, bob, carol = team()
    with SmtpSink() as smtp:
        env = subprocess_env(
            DATABASE_URL=database_url(),
            REDIS_URL=settings.REDIS_URL,
            EMAIL_BACKEND=None,
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            SITE_URL=settings.SITE_URL,
            NOTIFICATION_EMAIL_GRACE_SECONDS="0",
        )
        worker = WorkerProcess(env, tmp_path / "worker.log")
        try:
            client = make_client(alice)
            # bob is the assignee, so he watches the task too: he must hear `mentioned`, not also `comment_added`.
            task = new_task(client, project, title="Write the launch post", assignee=bob.id)
            wait_for(lambda: smtp.to(bob.email), timeout=60, what=f"the assignment email\n{worker.output()}")
            smtp.messages.clear()

            comment(client, task, "@bob can you proofread this? cc @carol @alice")
            [notification] = mentions_of(bob)
            wait_for(
                lambda: smtp.for_notification(notification.pk),
                timeout=60,
                what=f"the mention email\n{worker.output()}",
            )
            wait_for(lambda: _status(notification) == Status.SENT, timeout=30, what="the sent state")
        finally:
            worker.stop()
    [message] = smtp.messages  # none to alice (the author) or carol (not a member), no `comment_added` to bob
    assert message.to == bob.email
    assert message.notification_id == str(notification.pk)
    assert message.subject == '[TaskFlow] alice mentioned you in a comment on "Write the launch post"'
    assert "alice mentioned you in a comment" in message.text
    assert "Task: Write the launch post" in message.text
    assert task_link(project, task) in message.text
    assert not Notification.objects.filter(recipient__in=[alice, carol]).exists()


def _status(notification: Notification) -> str:
    notification.refresh_from_db()
    return notification.email_status


# --- the real actor on a StubBroker -------------------------------------------------------------------------------


def join(stub_broker):
    stub_broker.join(send_notification_email.queue_name, timeout=30_000)


@pytest.mark.django_db(transaction=True)
def test_a_mention_in_a_comment_emails_the_member_and_nobody_else(smtp, stub_broker, stub_worker, make_client):
    project, alice, bob, carol = team()
    client = make_client(alice)
    task = new_task(client, project, title="Write the launch post", assignee=bob.id)
    join(stub_broker)
    mail.outbox = []

    comment(client, task, "@bob can you proofread this? cc @carol @alice")
    join(stub_broker)

    [notification] = mentions_of(bob)
    assert _status(notification) == Status.SENT
    [message] = mail.outbox
    assert message.to == [bob.email]
    assert message.subject == '[TaskFlow] alice mentioned you in a comment on "Write the launch post"'
    assert message.extra_headers["X-TaskFlow-Notification"] == str(notification.pk)
    assert task_link(project, task) in message.body
    assert not Notification.objects.filter(recipient__in=[alice, carol]).exists()


@pytest.mark.django_db(transaction=True)
def test_mentioned_emails_turned_off_store_the_notification_and_send_nothing(
    smtp, stub_broker, stub_worker, make_client
):
    project, alice, bob, _ = team()
    response = make_client(bob).put("/api/notifications/preferences/", {"email": {"mentioned": False}}, format="json")
    assert response.status_code == 200, response.content
    client = make_client(alice)
    task = new_task(client, project, title="Write the launch post")

    comment(client, task, "@bob can you proofread this?")
    join(stub_broker)

    [notification] = mentions_of(bob)  # stored (and in his list) all the same
    assert notification.email_status == Status.SKIPPED
    assert notification.email_last_error == "email for this kind is off"
    listed = make_client(bob).get("/api/notifications/").json()["results"]
    assert [n["kind"] for n in listed] == ["mentioned"]
    assert mail.outbox == []
    assert smtp.calls == 0


@pytest.mark.django_db(transaction=True)
def test_editing_a_comment_without_a_new_mention_sends_no_second_email(smtp, stub_broker, stub_worker, make_client):
    project, alice, bob, _ = team()
    carol = MembershipFactory(project=project, user=UserFactory(username="carol")).user
    client = make_client(alice)
    task = new_task(client, project, title="Write the launch post")
    posted = comment(client, task, "@bob can you proofread this?")
    join(stub_broker)
    assert [m.to for m in mail.outbox] == [[bob.email]]

    for body in ("@bob can you proofread this today?", "@BOB, can you proofread this today? Thanks @bob."):
        response = client.patch(f"/api/comments/{posted['id']}/", {"body": body}, format="json")
        assert response.status_code == 200, response.content
        join(stub_broker)
    assert len(mentions_of(bob)) == 1
    assert len(mail.outbox) == 1

    # A mention the edit adds is emailed, once, to the one it adds.
    response = client.patch(
        f"/api/comments/{posted['id']}/", {"body": "@bob and @carol, proofread this"}, format="json"
    )
    assert response.status_code == 200, response.content
    join(stub_broker)
    assert [m.to for m in mail.outbox] == [[bob.email], [carol.email]]
    assert len(mentions_of(bob)) == 1
