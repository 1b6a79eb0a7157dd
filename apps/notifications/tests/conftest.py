import dramatiq
import pytest
from django.core import mail

from apps.notifications.tests import email_backends


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "apps.notifications.tests.email_backends.ScriptedBackend"
    settings.NOTIFICATION_EMAIL_GRACE_SECONDS = 0
    email_backends.ScriptedBackend.script = []
    email_backends.ScriptedBackend.calls = 0
    mail.outbox = []
    return email_backends.ScriptedBackend


@pytest.fixture
def redis_jobs(settings):
    """No grace period, and a Redis queue with nothing left over from other tests."""
    settings.NOTIFICATION_EMAIL_GRACE_SECONDS = 0
    dramatiq.get_broker().flush_all()
    yield
    dramatiq.get_broker().flush_all()
