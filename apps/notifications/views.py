"""The unsubscribe link of notification emails: the signed token is the authorisation, no login needed."""

from django.core import signing
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from apps.accounts.models import User
from apps.notifications import services
from apps.notifications.emails import read_unsubscribe_token
from apps.notifications.models import Notification


@csrf_exempt  # mail clients send RFC 8058 one-click POSTs without a CSRF token; the signed token authorises
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user_id, kind = read_unsubscribe_token(token)
        user = User.objects.get(pk=user_id, is_active=True)
        label = Notification.Kind(kind).label
    except (signing.BadSignature, User.DoesNotExist, ValueError, KeyError):
        return HttpResponseBadRequest("This unsubscribe link is not valid.")
    if request.method == "POST":
        services.preferences_update(user=user, email={kind: False})
    context = {"done": request.method == "POST", "kind_label": label, "username": user.username}
    return render(request, "notifications/unsubscribe.html", context)
