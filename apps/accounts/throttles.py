from rest_framework.throttling import SimpleRateThrottle


class _LoginThrottle(SimpleRateThrottle):
    def username(self, request) -> str:
        """The username tried: from the API's JSON body here; the dashboard's login form reads its POST instead."""
        data = request.data
        return str(data.get("username", "")).strip().lower() if hasattr(data, "get") else ""


class LoginClientThrottle(_LoginThrottle):
    """Login attempts per client address and username: stops guessing one account's password from one place."""

    scope = "login_client"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": f"{self.get_ident(request)}:{self.username(request)}"}


class LoginUsernameThrottle(_LoginThrottle):
    """Login attempts per username from anywhere: slows a distributed guess at one account."""

    scope = "login_username"

    def get_cache_key(self, request, view) -> str | None:
        username = self.username(request)
        if not username:
            return None
        return self.cache_format % {"scope": self.scope, "ident": username}
