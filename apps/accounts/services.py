"""Accounts services: the only code that creates, changes or deletes users, or issues, rotates and revokes tokens."""

import uuid
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import update_last_login
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from ninja_jwt.exceptions import TokenError
from ninja_jwt.settings import api_settings
from ninja_jwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from ninja_jwt.tokens import RefreshToken
from ninja_jwt.utils import datetime_from_epoch

from apps.accounts import emails
from apps.accounts.authentication import FAMILY_CLAIM, parse_token, token_family
from apps.accounts.models import RevokedTokenFamily, User, canonical_username
from apps.accounts.verification import read_email_verification_token
from apps.common.jobs import enqueue_on_commit
from apps.realtime.services import sockets_close


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str


USERNAME_TAKEN = "A user with that username already exists."


def username_taken(username: str) -> bool:
    """Whether the name is taken in canonical form: "Alice", "alice" and "\\uff21lice" are one name."""
    return User.objects.filter(username_canonical=canonical_username(username)).exists()


def _email_owner(email: str) -> User | None:
    return User.objects.filter(email__iexact=email).first()


def _send(user_id: int, kind: str) -> None:
    from apps.accounts.actors import send_account_email  # actors import services, not the other way round

    enqueue_on_commit(send_account_email, user_id, kind)


def user_register(*, username: str, email: str, password: str) -> User | None:
    """Sign up. The caller has validated the password against AUTH_PASSWORD_VALIDATORS.

    A new address: the account is created (it can log in at once) and a verification link is emailed. An address that
    already has an account: nothing is created and its owner is emailed instead; None is returned, and the edges answer
    exactly as for a new account, so the answer does not say which addresses have accounts. A taken name (in canonical
    form) is a ValidationError; so is a lost race on the name.
    """
    if username_taken(username):
        raise ValidationError({"username": [USERNAME_TAKEN]})
    owner = _email_owner(email)
    if owner is None:
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    username=username, email=email, password=password, email_verified=False
                )
                _send(user.pk, emails.VERIFY)
                return user
        except IntegrityError as exc:
            owner = _email_owner(email)
            if owner is None:  # the name, then: someone registered it a moment ago
                raise ValidationError({"username": [USERNAME_TAKEN]}) from exc
    with transaction.atomic():
        _send(owner.pk, emails.ACCOUNT_EXISTS)
    return None


@transaction.atomic
def email_verification_resend(*, user: User) -> None:
    if user.pending_email or not user.email_verified:
        _send(user.pk, emails.VERIFY)


@transaction.atomic
def user_email_change(*, user: User, email: str) -> User:
    """Ask for a new address: it waits in `pending_email` and is used only once its link is followed. The answer is
    the same when another account holds the address (that account's owner is told instead), so it says nothing."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if email.lower() == user.email.lower():
        user.pending_email = ""
        user.save(update_fields=["pending_email"])
        return user
    owner = _email_owner(email)
    if owner is not None:
        _send(owner.pk, emails.ACCOUNT_EXISTS)
        return user
    user.pending_email = email
    user.save(update_fields=["pending_email"])
    _send(user.pk, emails.VERIFY)
    return user


class VerificationRefused(Exception):
    """The link is forged, expired, already used, or superseded: the message says which for the user."""


@transaction.atomic
def email_verify(*, token: str) -> User:
    try:
        user_id, address, sent_to_email = read_email_verification_token(token)
    except signing.SignatureExpired as exc:
        raise VerificationRefused("This link has expired: ask for a new one from your account page.") from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise VerificationRefused("This link is not valid.") from exc
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or user.email != sent_to_email:
        raise VerificationRefused("This link was already used or is no longer valid.")
    if user.pending_email and user.pending_email.lower() == address.lower():
        if User.objects.filter(email__iexact=address).exclude(pk=user.pk).exists():
            raise VerificationRefused("This address is used by another account now.")
        user.email, user.pending_email = address, ""
    elif user.email_verified or user.email.lower() != address.lower():
        raise VerificationRefused("This link was already used or is no longer valid.")
    user.email_verified = True
    user.save(update_fields=["email", "pending_email", "email_verified"])
    return user


def password_reset_request(*, email: str) -> None:
    """Email a reset link (Django's token generator: single use, expires after PASSWORD_RESET_TIMEOUT) to each active
    account with that address. Nothing is said about whether there was one."""
    with transaction.atomic():
        for user in PasswordResetForm().get_users(email):
            _send(user.pk, emails.RESET)


def refresh_tokens_revoke_all(*, user_id: int) -> int:
    """Blacklist every refresh token of the user not blacklisted yet (inside the caller's transaction)."""
    live = OutstandingToken.objects.filter(user_id=user_id, blacklistedtoken__isnull=True)
    created = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in live.select_for_update(of=("self",))], ignore_conflicts=True
    )
    return len(created)


@transaction.atomic
def user_sign_out_everywhere(*, user: User) -> None:
    """Every refresh token revoked, every browser session ended (the session hash changes) and, after commit, every
    open socket closed. Access tokens already issued live out their short lifetime."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    refresh_tokens_revoke_all(user_id=user.pk)
    sockets_close(user_id=user.pk)


@transaction.atomic
def password_set(*, user: User, password: str) -> None:
    """A new password (changed, or reset by link). The caller validated it. Other browser sessions end with the old
    password hash; refresh tokens are revoked and sockets closed as for "sign out everywhere"."""
    user.set_password(password)
    user.save(update_fields=["password"])
    refresh_tokens_revoke_all(user_id=user.pk)
    sockets_close(user_id=user.pk)


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


def comment_author_fields() -> list:
    """The author foreign keys of comment models, wherever comments live (found by shape, so this service does not
    depend on the comments app). Their comments stay, shown as by "deleted user": the key is set to null."""
    found = []
    for model in django_apps.get_models():
        if model._meta.model_name != "comment":
            continue
        field = next((f for f in model._meta.concrete_fields if f.name == "author"), None)
        if field is not None and field.is_relation and field.related_model is User:
            found.append((model, field))
    return found


@transaction.atomic
def user_delete(*, user: User) -> None:
    """Delete the account, leaving every project consistent.

    Memberships end as a member's leaving does (tasks assigned to them are unassigned, each with an activity line);
    a project where they were the only owner passes to its longest-standing member, or is deleted when nobody else is
    in it. Tasks they created stay with `created_by` null; their comments stay with the author null ("deleted user").
    Refresh tokens are revoked and, after commit, their sockets closed.
    """
    from apps.projects import services as project_services
    from apps.projects.models import Membership
    from apps.tasks.models import Task
    from apps.tasks.services import task_update

    user = User.objects.select_for_update().get(pk=user.pk)
    memberships = Membership.objects.filter(user=user).select_related("project").order_by("project_id")
    for membership in memberships:
        project = membership.project
        others = Membership.objects.filter(project=project).exclude(user=user).order_by("joined_at", "id")
        if not others.exists():
            project_services.project_delete(actor=user, project=project)
            continue
        if membership.role == Membership.Role.OWNER and not others.filter(role=Membership.Role.OWNER).exists():
            project_services.membership_change_role(
                actor=user, project=project, membership=others.first(), role=Membership.Role.OWNER
            )
        membership.refresh_from_db()
        project.refresh_from_db()
        project_services.membership_remove(actor=user, project=project, membership=membership)
    # An assignment outside the user's projects should not exist; clear any such leftover the same way.
    for task in Task.objects.filter(assignee=user):
        task_update(actor=user, task=task, data={"assignee": None})
    for model, field in comment_author_fields():
        if field.null:
            model._default_manager.filter(**{field.name: user}).update(**{field.name: None})
    refresh_tokens_revoke_all(user_id=user.pk)
    sockets_close(user_id=user.pk)
    user.delete()
