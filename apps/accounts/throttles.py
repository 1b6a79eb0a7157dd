from rest_framework.throttling import SimpleRateThrottle


class LoginClientThrottle(SimpleRateThrottle):
    """Login attempts per client address and username: stops guessing one account's password from one place."""

    scope = "login_client"

    def get_cache_key(self, request, view) -> str:
        username = str(request.data.get("username", "")).strip().lower() if hasattr(request.data, "get") else ""
        return self.cache_format % {"scope": self.scope, "ident": f"{self.get_ident(request)}:{username}"}


class LoginUsernameThrottle(SimpleRateThrottle):
    """Login attempts per username from anywhere: slows a distributed guess at one account."""

    scope = "login_username"

    def get_cache_key(self, request, view) -> str | None:
        username = str(request.data.get("username", "")).strip().lower() if hasattr(request.data, "get") else ""
        if not username:
            return None
        return self.cache_format % {"scope": self.scope, "ident": username}
