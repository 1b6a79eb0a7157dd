"""Accounts services: the only code that creates users or issues, rotates and revokes tokens."""

import uuid
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import update_last_login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from ninja_jwt.exceptions import TokenError
from ninja_jwt.settings import api_settings
from ninja_jwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from ninja_jwt.tokens import RefreshToken
from ninja_jwt.utils import datetime_from_epoch

from apps.accounts.authentication import FAMILY_CLAIM, parse_token, token_family
from apps.accounts.models import RevokedTokenFamily, User


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


def _refresh_in_family(*, user: User, family: str) -> RefreshToken:
    """A new refresh token of `family`, recorded as outstanding (as ninja_jwt's for_user does, but with the family
    claim in the recorded token)."""
    refresh = RefreshToken()
    refresh[api_settings.USER_ID_CLAIM] = user.pk
    refresh[FAMILY_CLAIM] = family
    OutstandingToken.objects.create(
        user=user,
        jti=refresh[api_settings.JTI_CLAIM],
        token=str(refresh),
        created_at=refresh.current_time,
        expires_at=datetime_from_epoch(refresh["exp"]),
    )
    return refresh


def _pair(refresh: RefreshToken) -> TokenPair:
    # The access token copies the refresh token's claims, the family among them.
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh))


@transaction.atomic
def token_pair_issue(*, user: User) -> TokenPair:
    """Issue an access and a refresh token in a new family; the refresh token is recorded so it can be revoked."""
    refresh = _refresh_in_family(user=user, family=uuid.uuid4().hex)
    update_last_login(None, user)
    return _pair(refresh)


def _lock_outstanding(refresh: RefreshToken) -> OutstandingToken:
    """Lock the refresh token's row so that two concurrent uses of one token cannot both succeed."""
    jti = refresh[api_settings.JTI_CLAIM]
    try:
        return OutstandingToken.objects.select_for_update().get(jti=jti)
    except OutstandingToken.DoesNotExist as exc:
        # Every refresh token TaskFlow issues is recorded; an unknown one was not issued here.
        raise TokenError("Token is not recognised") from exc


def _family_revoke(*, outstanding: OutstandingToken, family: str, reason: str) -> None:
    if outstanding.user_id is not None:
        RevokedTokenFamily.objects.get_or_create(
            family=family, defaults={"user_id": outstanding.user_id, "reason": reason}
        )


class _PresentedRefreshToken(RefreshToken):
    """A refresh token as presented for rotation: ninja_jwt's own blacklist check (a plain refusal, before anything
    else) is skipped because token_refresh checks the blacklist itself, under the row lock, to tell a reuse."""

    def check_blacklist(self) -> None:
        return None


def token_refresh(*, raw_refresh: str) -> TokenPair:
    """Rotate: validate the refresh token, blacklist it, and issue a new pair of the same family.

    A refresh token that was already rotated (or logged out) and comes back means a copy exists: the whole family is
    revoked, so the token that replaced it stops working too. Raises TokenError when refused.
    """
    refresh = parse_token(_PresentedRefreshToken, raw_refresh)
    with transaction.atomic():
        outstanding = _lock_outstanding(refresh)
        family = token_family(refresh)
        if RevokedTokenFamily.objects.filter(family=family).exists():
            raise TokenError("Token family is revoked")
        if BlacklistedToken.objects.filter(token=outstanding).exists():
            # Committed, unlike the refusal that follows: the revocation must outlive this request.
            _family_revoke(outstanding=outstanding, family=family, reason=RevokedTokenFamily.Reason.REUSE)
            reused = True
        else:
            reused = False
            user = outstanding.user
            if user is None or not user.is_active:
                raise TokenError("Token names no active user")
            BlacklistedToken.objects.create(token=outstanding)
            pair = _pair(_refresh_in_family(user=user, family=family))
    if reused:
        raise TokenError("Token is blacklisted; it was used before, so its whole family is now revoked")
    return pair


@transaction.atomic
def token_revoke(*, raw_refresh: str) -> None:
    """Log out: blacklist the refresh token and revoke its family, so neither it nor the access tokens of this login
    are accepted from now on. Raises TokenError when it is not valid."""
    refresh = parse_token(RefreshToken, raw_refresh)
    outstanding = _lock_outstanding(refresh)
    BlacklistedToken.objects.get_or_create(token=outstanding)
    _family_revoke(outstanding=outstanding, family=token_family(refresh), reason=RevokedTokenFamily.Reason.LOGOUT)
