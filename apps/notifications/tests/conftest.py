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
