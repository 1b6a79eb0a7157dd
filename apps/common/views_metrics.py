"""`/metrics`: this process's Prometheus registry (django-prometheus's exporter), for a scraper with the token."""

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse


def metrics(request: HttpRequest) -> HttpResponse:
    if not settings.METRICS_ENABLED:
        raise Http404  # as if the route did not exist
    sent = request.headers.get("Authorization", "")
    expected = f"Bearer {settings.METRICS_TOKEN}"
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        response = HttpResponse("A bearer token (METRICS_TOKEN) is needed.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    from django_prometheus.exports import ExportToDjangoView

    return ExportToDjangoView(request)
