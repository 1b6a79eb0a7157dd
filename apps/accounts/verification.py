"""Signed, expiring links that prove an address reaches the account's owner.

A link names the account, the address it verifies and the address the account had when it was sent: once it has been
used (or the account's address changed meanwhile) that state is gone, so the link is refused. Single use without a
table of used links.
"""

from django.conf import settings
from django.core import signing

SALT = "taskflow.accounts.verify-email"


def email_verification_token(*, user_id: int, address: str, current_email: str) -> str:
    return signing.dumps({"u": user_id, "e": address, "c": current_email}, salt=SALT, compress=True)


def read_email_verification_token(token: str) -> tuple[int, str, str]:
    """Raises signing.SignatureExpired past EMAIL_VERIFICATION_MAX_AGE, signing.BadSignature when forged or damaged."""
    data = signing.loads(token, salt=SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    return int(data["u"]), str(data["e"]), str(data["c"])
