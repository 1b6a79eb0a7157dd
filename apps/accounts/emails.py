"""Account emails (verify an address, reset a password, "someone tried to sign up with your address").

Multipart (text and HTML) from templates, like the notification emails, with links built on SITE_URL.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.accounts.models import User
from apps.accounts.verification import email_verification_token

VERIFY, RESET, ACCOUNT_EXISTS = "verify_email", "password_reset", "account_exists"
SUBJECTS = {
    VERIFY: "Confirm your email address",
    RESET: "Reset your password",
    ACCOUNT_EXISTS: "You already have an account",
}


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def verification_url(user: User, address: str) -> str:
    token = email_verification_token(user_id=user.pk, address=address, current_email=user.email)
    return _url("dashboard:verify-email", token)


def password_reset_url(user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return _url("dashboard:password-reset-confirm", uidb64, default_token_generator.make_token(user))


def build_message(*, user: User, kind: str) -> EmailMultiAlternatives | None:
    """The email of `kind` for the user as they are now, or None when there is nothing to send any more."""
    context = {"user": user, "site_url": settings.SITE_URL}
    if kind == VERIFY:
        address = user.pending_email or ("" if user.email_verified else user.email)
        if not address:
            return None  # verified meanwhile
        context["link"] = verification_url(user, address)
        context["changing"] = bool(user.pending_email)
    elif kind == RESET:
        address = user.email
        context["link"] = password_reset_url(user)
        context["expires_hours"] = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
    elif kind == ACCOUNT_EXISTS:
        address = user.email
        context["login_url"] = _url("dashboard:login")
        context["reset_url"] = _url("dashboard:password-reset")
    else:
        raise ValueError(f"unknown account email {kind!r}")
    if not address or not user.is_active:
        return None
    message = EmailMultiAlternatives(
        subject=f"[TaskFlow] {SUBJECTS[kind]}",
        body=render_to_string(f"accounts/email/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    message.attach_alternative(render_to_string(f"accounts/email/{kind}.html", context), "text/html")
    return message
