"""Notification emails: the message itself, and which SMTP failures are worth retrying."""

import smtplib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from apps.notifications.models import Notification

UNSUBSCRIBE_SALT = "taskflow.notifications.unsubscribe"


class TransientEmailError(Exception):
    """The mail server may accept the message later: retry with backoff."""


def unsubscribe_token(*, user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """Raises django.core.signing.BadSignature for a forged or damaged token."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    return int(data["u"]), str(data["k"])


def task_url(notification: Notification) -> str | None:
    if notification.task_id is None or notification.task is None:
        return None
    return f"{settings.SITE_URL}/?project={notification.task.project_id}&task={notification.task_id}"


def message_id(notification: Notification) -> str:
    return f"<notification.{notification.pk}.{notification.recipient_id}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"


def build_message(notification: Notification) -> EmailMultiAlternatives:
    unsubscribe_url = settings.SITE_URL + reverse(
        "notification-unsubscribe", args=[unsubscribe_token(user_id=notification.recipient_id, kind=notification.kind)]
    )
    context = {
        "notification": notification,
        "recipient": notification.recipient,
        "task_url": task_url(notification),
        "unsubscribe_url": unsubscribe_url,
        "kind_label": Notification.Kind(notification.kind).label,
    }
    message = EmailMultiAlternatives(
        subject=f"[TaskFlow] {notification.message}"[:200],
        body=render_to_string("notifications/email/notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "X-TaskFlow-Notification": str(notification.pk),
            # Stable per notification: a resend (a worker killed after the server accepted the message) carries the
            # same id, so receivers can drop it.
            "Message-ID": message_id(notification),
        },
    )
    message.attach_alternative(render_to_string("notifications/email/notification.html", context), "text/html")
    return message


def is_transient(exc: BaseException) -> bool:
    """4xx replies, dropped connections and network errors pass; 5xx replies and bad addresses do not."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(exc, smtplib.SMTPException):
        return False
    return isinstance(exc, OSError)  # refused connections, resets, timeouts
