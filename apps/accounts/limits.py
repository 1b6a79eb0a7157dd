"""Limits on the account doors other than login: sign-up per client, password reset per client and per address.

Shared by the API and the dashboard's forms (same cache keys, so the form is no second door). Addresses go into
cache keys hashed, and bounded before that, so no request decides how large a key is.
"""

import hashlib

from django.http import HttpRequest
from rest_framework.throttling import SimpleRateThrottle


def _field(request, name: str) -> str:
    data = getattr(request, "data", None)
    if data is None or not hasattr(data, "get"):
        data = request.POST
    return str(data.get(name, ""))[:320]


class RegisterClientThrottle(SimpleRateThrottle):
    """Sign-ups per client address."""

    scope = "register_client"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PasswordResetClientThrottle(RegisterClientThrottle):
    """Reset requests per client address, whatever the address asked for."""

    scope = "password_reset_client"


class PasswordResetAddressThrottle(SimpleRateThrottle):
    """Reset requests per email address from anywhere: nobody can fill one inbox with reset links."""

    scope = "password_reset_address"

    def get_cache_key(self, request, view) -> str | None:
        address = _field(request, "email").strip().lower()
        if not address:
            return None
        digest = hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


def throttled_for(request: HttpRequest, view, throttle_classes) -> int | None:
    """For Django views: record the attempt with every limit; the seconds to wait when one of them refuses."""
    waits = [
        throttle.wait() for throttle in (cls() for cls in throttle_classes) if not throttle.allow_request(request, view)
    ]
    if not waits:
        return None
    return max(int(wait or 0) for wait in waits) or 1
