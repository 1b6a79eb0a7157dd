"""Browser security headers: the Content-Security-Policy (django-csp) and a Permissions-Policy."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponseBase


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the page's own host over ws:// and wss:// added to `connect-src`.

    CSP Level 3 lets `'self'` match a WebSocket to the same host, but browsers that predate it do not; naming the host
    (as the request gives it, already checked against ALLOWED_HOSTS) works everywhere without listing hosts twice.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        try:
            host = request.get_host()
        except DisallowedHost:
            return parts
        update = dict(parts.update or {})
        update["connect-src"] = [*update.get("connect-src", []), f"ws://{host}", f"wss://{host}"]
        parts.update = update
        return parts


class PermissionsPolicyMiddleware:
    """Turns off the powerful browser features TaskFlow never uses (camera, geolocation, payment...), for every
    page and for anything framed into one."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
