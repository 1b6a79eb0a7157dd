"""Account emails leave in the background, after commit: the request answers the same, and as fast, whether or not
an email is sent (an answer's timing must not say whether an address has an account either)."""

import dramatiq
from django.conf import settings

from apps.accounts import emails
from apps.accounts.models import User


@dramatiq.actor(max_retries=5, min_backoff=10_000, max_backoff=600_000, time_limit=settings.DRAMATIQ_TIME_LIMIT_MS)
def send_account_email(user_id: int, kind: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return  # deleted meanwhile
    message = emails.build_message(user=user, kind=kind)
    if message is not None:
        message.send(fail_silently=False)
