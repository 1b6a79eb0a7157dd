"""Real worker processes: rundramatiq on the Redis broker (crash included), the sweeper after a wiped queue, and
the embedded worker of a Daphne process without Redis."""

import datetime
import re
from urllib.parse import urlsplit

import dramatiq
import httpx
import pytest
from django.conf import settings
from django.core import mail

from apps.common.tests.utils import DaphneProcess, WorkerProcess, manage, subprocess_env, wait_for
from apps.notifications import services
from apps.notifications.actors import send_notification_email
from apps.notifications.models import Notification
from apps.projects.tests.factories import MembershipFactory, ProjectFactory
from apps.realtime.tests.test_scaleout import database_url

Status = Notification.EmailStatus
SLOW_BACKEND = "apps.notifications.tests.email_backends.SlowFileBackend"


def assign_through_api(make_client) -> Notification:
    project = ProjectFactory()
    member = MembershipFactory(project=project).user
    response = make_client(project.owner).post(
        "/api/tasks/", {"project": project.id, "title": "Email me", "assignee": member.id}, format="json"
    )
    assert response.status_code == 201, response.content
    return Notification.objects.get(recipient=member)


def status_of(notification: Notification) -> str:
    notification.refresh_from_db()
    return notification.email_status


def worker_env(mail_dir, **extra):
    return subprocess_env(
        DATABASE_URL=database_url(),
        REDIS_URL=settings.REDIS_URL,
        EMAIL_BACKEND=SLOW_BACKEND,
        EMAIL_FILE_PATH=str(mail_dir),
        NOTIFICATION_EMAIL_GRACE_SECONDS="0",
        **extra,
    )


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_rundramatiq_emails_a_notification_created_through_the_api(redis_jobs, make_client, tmp_path):
    mail_dir = tmp_path / "mail"
    worker = WorkerProcess(worker_env(mail_dir), tmp_path / "worker.log")
    try:
        notification = assign_through_api(make_client)
        wait_for(lambda: status_of(notification) == Status.SENT, timeout=60, what=f"the email\n{worker.output()}")
    finally:
        worker.stop()
    [sent] = list(mail_dir.iterdir())
    assert "Email me" in sent.read_text()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_send_is_completed_by_a_restarted_worker_once(redis_jobs, make_client, tmp_path):
    mail_dir = tmp_path / "mail"
    recovery = {"DRAMATIQ_HEARTBEAT_TIMEOUT": "2000", "DRAMATIQ_MAINTENANCE_CHANCE": "1000000"}
    first = WorkerProcess(
        worker_env(mail_dir, TEST_EMAIL_DELAY="30", NOTIFICATION_EMAIL_CLAIM_TIMEOUT="1", **recovery),
        tmp_path / "first.log",
    )
    try:
        notification = assign_through_api(make_client)
        wait_for(lambda: status_of(notification) == Status.SENDING, timeout=60, what=f"the claim\n{first.output()}")
        first.kill()  # in the middle of the SMTP conversation
    finally:
        first.stop()
    assert not mail_dir.exists() or not list(mail_dir.iterdir())

    second = WorkerProcess(
        worker_env(mail_dir, TEST_EMAIL_DELAY="0", NOTIFICATION_EMAIL_CLAIM_TIMEOUT="1", **recovery),
        tmp_path / "second.log",
    )
    try:
        wait_for(lambda: status_of(notification) == Status.SENT, timeout=90, what=f"the resend\n{second.output()}")
    finally:
        second.stop()
    assert len(list(mail_dir.iterdir())) == 1
    notification.refresh_from_db()
    assert notification.email_attempts == 2


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_sweeper_re_enqueues_an_email_whose_message_was_deleted_from_redis(redis_jobs, settings, make_client):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    broker = dramatiq.get_broker()
    notification = assign_through_api(make_client)
    assert broker.client.keys(f"{broker.namespace}:*")  # the job is in Redis...
    broker.flush_all()  # ...and now it is gone
    assert status_of(notification) == Status.PENDING

    later = notification.email_due_at + datetime.timedelta(seconds=settings.NOTIFICATION_EMAIL_SWEEP_AFTER + 1)
    assert services.notification_emails_sweep(now=later) == 1
    assert services.notification_emails_sweep(now=later) == 0  # idempotent: not enqueued twice
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        broker.join(send_notification_email.queue_name, timeout=30_000)
    finally:
        worker.stop()
    assert status_of(notification) == Status.SENT
    assert len(mail.outbox) == 1
    assert services.notification_emails_sweep(now=later) == 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_embedded_daphne_emails_from_its_in_process_worker(tmp_path):
    database = f"sqlite:///{tmp_path / 'embedded.sqlite3'}"
    mail_dir = tmp_path / "mail"
    env = subprocess_env(
        DEBUG="1",
        REDIS_URL=None,
        DATABASE_URL=database,
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        NOTIFICATION_EMAIL_GRACE_SECONDS="0",
    )
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    with DaphneProcess(env, tmp_path / "daphne.log") as server, httpx.Client(base_url=server.url) as api:
        for name in ("alice", "bob"):
            body = {"username": name, "email": f"{name}@example.com", "password": "a-Strong-passphrase-42"}
            assert api.post("/api/auth/register/", json=body).status_code == 202
        # Notification emails go only to verified addresses: bob follows the link of his verification email.
        verify = wait_for(
            lambda: [f for f in mail_dir.glob("*") if "bob@example.com" in f.read_text()] if mail_dir.exists() else [],
            timeout=90,
            what="bob's verification email",
        )
        link = re.search(r"http://\S+/account/verify/\S+/", verify[0].read_text()).group(0)
        assert api.get(urlsplit(link).path).status_code == 200
        for sent in mail_dir.iterdir():
            sent.unlink()
        token = api.post("/api/auth/token/", json={"username": "alice", "password": "a-Strong-passphrase-42"})
        headers = {"Authorization": f"Bearer {token.json()['access']}"}
        project = api.post("/api/projects/", json={"name": "Embedded"}, headers=headers).json()
        bob = api.post(f"/api/projects/{project['id']}/members/", json={"username": "bob"}, headers=headers).json()
        task = {"project": project["id"], "title": "Mail from the web process", "assignee": bob["user"]["id"]}
        assert api.post("/api/tasks/", json=task, headers=headers).status_code == 201
        files = wait_for(lambda: mail_dir.exists() and list(mail_dir.iterdir()), timeout=90, what="the email file")
        log = server.output()
    assert "embedded Dramatiq worker started" in log
    [sent] = files
    content = sent.read_text()
    assert "bob@example.com" in content
    assert "Mail from the web process" in content
