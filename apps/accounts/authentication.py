"""A thin DRF adapter over django-ninja-jwt's token engine.

django-ninja-jwt issues, signs, verifies and blacklists the tokens; this module only reads the Bearer header, asks
the engine to validate the access token and loads the user it names.
"""

from django.contrib.auth import get_user_model
from ninja_jwt.exceptions import TokenError
from ninja_jwt.settings import api_settings
from ninja_jwt.tokens import AccessToken
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from apps.accounts.models import RevokedTokenFamily

User = get_user_model()

# The refresh-token family a token belongs to (see RevokedTokenFamily); access tokens carry their refresh's.
FAMILY_CLAIM = "fam"


def token_family(token) -> str:
    """The token's family; a token issued before families existed is a family of its own."""
    return str(token.get(FAMILY_CLAIM) or token[api_settings.JTI_CLAIM])


def parse_token(token_class, raw_token: str):
    """Build and verify a ninja_jwt token. A rightly signed token can still carry claims the engine cannot handle
    (`exp: 1e300` overflows datetime): that is a refused token, not a server error."""
    try:
        return token_class(raw_token)
    except (OverflowError, ValueError, TypeError) as exc:
        raise TokenError("Token has an invalid claim") from exc


def user_from_access_token(raw_token: str):
    """Validate an access JWT (signature, algorithm, expiry, type, issuer, audience) and return its active user.

    Raises ninja_jwt's TokenError when the token or its user is not acceptable.
    """
    token = parse_token(AccessToken, raw_token)
    try:
        user = User.objects.get(**{api_settings.USER_ID_FIELD: token[api_settings.USER_ID_CLAIM]})
    except (KeyError, User.DoesNotExist, ValueError, TypeError) as exc:
        raise TokenError("Token names no active user") from exc
    if not user.is_active:
        raise TokenError("Token names no active user")
    _refuse_revoked_family(token)
    return user, token


def _refuse_revoked_family(token) -> None:
    family = token.get(FAMILY_CLAIM)
    if family and RevokedTokenFamily.objects.filter(family=str(family)).exists():
        raise TokenError("Token family is revoked (logged out, or a refresh token was reused)")


def user_and_projects_from_access_token(raw_token: str):
    """As user_from_access_token, and the ids of the user's projects, from one query (a socket's handshake): the
    revoked-family check rides along as an EXISTS."""
    from django.db.models import Exists

    from apps.projects.selectors import user_with_project_ids

    token = parse_token(AccessToken, raw_token)
    family = token.get(FAMILY_CLAIM)
    checks = {"family_revoked": Exists(RevokedTokenFamily.objects.filter(family=str(family)))} if family else {}
    try:
        user, project_ids = user_with_project_ids(user_id=int(token[api_settings.USER_ID_CLAIM]), **checks)
    except (KeyError, ValueError, TypeError) as exc:
        raise TokenError("Token names no active user") from exc
    if user is None or not user.is_active:
        raise TokenError("Token names no active user")
    if getattr(user, "family_revoked", False):
        raise TokenError("Token family is revoked (logged out, or a refresh token was reused)")
    return user, token, project_ids


class JWTAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid Authorization header: expected 'Bearer <token>'.")
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid Authorization header.") from exc
        try:
            return user_from_access_token(raw)
        except TokenError as exc:
            raise exceptions.AuthenticationFailed(f"Invalid or expired access token: {exc}") from exc

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'
