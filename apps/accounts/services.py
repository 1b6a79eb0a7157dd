"""Accounts services: the only code that creates users or issues, rotates and revokes tokens."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from ninja_jwt.exceptions import TokenError
from ninja_jwt.settings import api_settings
from ninja_jwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from ninja_jwt.tokens import RefreshToken

from apps.accounts.authentication import parse_token
from apps.accounts.models import User


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


def user_create(*, username: str, email: str, password: str) -> User:
    """Create an active user; the caller has validated the password against AUTH_PASSWORD_VALIDATORS.

    A concurrent registration of the same name or address loses at the database's unique index: a 400, not a 500.
    """
    try:
        with transaction.atomic():
            return get_user_model().objects.create_user(username=username, email=email, password=password)
    except IntegrityError as exc:
        raise ValidationError({"username": ["A user with that username or email already exists."]}) from exc


@transaction.atomic
def token_pair_issue(*, user: User) -> TokenPair:
    """Issue an access and a refresh token; the refresh token is recorded as outstanding so it can be revoked."""
    refresh = RefreshToken.for_user(user)
    update_last_login(None, user)
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh))


def _lock_outstanding(refresh: RefreshToken) -> OutstandingToken:
    """Lock the refresh token's row so that two concurrent uses of one token cannot both succeed."""
    jti = refresh[api_settings.JTI_CLAIM]
    try:
        return OutstandingToken.objects.select_for_update().get(jti=jti)
    except OutstandingToken.DoesNotExist as exc:
        # Every refresh token TaskFlow issues is recorded; an unknown one was not issued here.
        raise TokenError("Token is not recognised") from exc


@transaction.atomic
def token_refresh(*, raw_refresh: str) -> TokenPair:
    """Rotate: validate the refresh token, blacklist it, and issue a new pair. Raises TokenError when refused."""
    refresh = parse_token(RefreshToken, raw_refresh)
    outstanding = _lock_outstanding(refresh)
    if BlacklistedToken.objects.filter(token=outstanding).exists():
        raise TokenError("Token is blacklisted")
    user = outstanding.user
    if user is None or not user.is_active:
        raise TokenError("Token names no active user")
    BlacklistedToken.objects.create(token=outstanding)
    new_refresh = RefreshToken.for_user(user)
    return TokenPair(access=str(new_refresh.access_token), refresh=str(new_refresh))


@transaction.atomic
def token_revoke(*, raw_refresh: str) -> None:
    """Log out: blacklist the refresh token so it is refused from now on. Raises TokenError when it is not valid."""
    refresh = parse_token(RefreshToken, raw_refresh)
    outstanding = _lock_outstanding(refresh)
    BlacklistedToken.objects.get_or_create(token=outstanding)
