"""Stand-ins for the SMTP server (the one thing outside that these tests fake)."""

import os
import smtplib
import time

from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class ScriptedBackend(LocmemBackend):
    """Fails with the scripted exceptions, one per send, then delivers to django.core.mail.outbox."""

    script: list[BaseException] = []
    calls = 0

    def send_messages(self, messages):
        type(self).calls += 1
        if type(self).script:
            raise type(self).script.pop(0)
        return super().send_messages(messages)


def transient() -> smtplib.SMTPServerDisconnected:
    return smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def permanent() -> smtplib.SMTPRecipientsRefused:
    return smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"5.1.1 No such user")})


class SlowFileBackend(FileBackend):
    """Writes each message to a file after TEST_EMAIL_DELAY seconds: a send to kill a worker in the middle of."""

    def send_messages(self, messages):
        time.sleep(float(os.environ.get("TEST_EMAIL_DELAY", "0")))
        return super().send_messages(messages)
