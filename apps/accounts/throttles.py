"""Login limits, shared by POST /api/auth/token/, the dashboard's login form and /admin/login/.

- per client and username (`login_client`): one place guessing one account's password;
- per client across usernames (`login_client_any`): one place trying many accounts (credential stuffing);
- per username from anywhere (`login_username`): a distributed guess at one account. A client the user has signed
  in from before (within LOGIN_KNOWN_CLIENT_DAYS) is exempt from this one, so others' failures cannot lock the owner
  out of their own client; a client new to that user waits like everyone else while the attack lasts.

Cache keys hold a digest of the username, never the username: a 2 MB username is a 64-byte key, and a name with
a lone surrogate (not UTF-8 encodable) still hashes.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def normalise_username(raw) -> str:
    # Bounded before anything else touches it: a longer name than any account's cannot match one anyway.
    return str(raw)[: settings.LOGIN_USERNAME_MAX_LENGTH + 1].strip().lower()


class _LoginThrottle(SimpleRateThrottle):
    def username(self, request) -> str:
        """The username tried: from the API's JSON body here; form logins read their POST instead."""
        data = request.data
        return normalise_username(data.get("username", "")) if hasattr(data, "get") else ""


class LoginClientThrottle(_LoginThrottle):
    """Login attempts per client address and username: stops guessing one account's password from one place."""

    scope = "login_client"

    def get_cache_key(self, request, view) -> str:
        ident = _digest(f"{self.get_ident(request)}\n{self.username(request)}")
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginClientAnyThrottle(_LoginThrottle):
    """Login attempts per client address, whatever the username: stops one place trying account after account."""

    scope = "login_client_any"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": _digest(self.get_ident(request))}


class LoginUsernameThrottle(_LoginThrottle):
    """Login attempts per username from anywhere, except from clients the user has signed in from before."""

    scope = "login_username"

    def get_cache_key(self, request, view) -> str | None:
        username = self.username(request)
        if not username or cache.get(_known_client_key(self.get_ident(request), username)):
            return None
        return self.cache_format % {"scope": self.scope, "ident": _digest(username)}


LOGIN_THROTTLES = (LoginClientThrottle, LoginClientAnyThrottle, LoginUsernameThrottle)


class _FormUsername:
    """The same limits reading the username from a form post: the cache keys are the API's own, so attempts through
    the dashboard's form, the admin's and POST /api/auth/token/ share one budget (no second door)."""

    def username(self, request) -> str:
        return normalise_username(request.POST.get("username", ""))


FORM_LOGIN_THROTTLES = tuple(type(f"Form{cls.__name__}", (_FormUsername, cls), {}) for cls in LOGIN_THROTTLES)


def _known_client_key(ident: str, username: str) -> str:
    pair = f"{ident}\n{username}"
    return f"login_known_client:{_digest(pair)}"


def login_succeeded(request, username: str) -> None:
    """Remember that this client signed in as this user: it keeps its way in while others attack the username."""
    ident = LoginClientThrottle().get_ident(request)
    timeout = int(settings.LOGIN_KNOWN_CLIENT_DAYS * 86400)
    cache.set(_known_client_key(ident, normalise_username(username)), 1, timeout=timeout)


def form_login_wait(request, view, throttle_classes) -> int | None:
    """For the HTML login forms: run the login limits on a POST; the seconds to wait when one refuses, else None.
    Every throttle records the attempt (as DRF does for the API), so the limits count tries, not failures."""
    waits = [
        throttle.wait() for throttle in (cls() for cls in throttle_classes) if not throttle.allow_request(request, view)
    ]
    if not waits:
        return None
    return max(int(wait or 0) for wait in waits) or 1
