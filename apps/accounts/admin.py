from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse

from apps.accounts import throttles
from apps.accounts.models import User


@admin.register(User)
class TaskFlowUserAdmin(UserAdmin):
    list_display = ("username", "email", "is_active", "is_staff", "date_joined", "last_login")


def throttled_admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """/admin/login/ behind the API's login limits (same counters, so it is no second door for guessing)."""
    if request.method == "POST":
        seconds = throttles.form_login_wait(request, None, throttles.FORM_LOGIN_THROTTLES)
        if seconds is not None:
            response = HttpResponse(
                f"Too many login attempts. Try again in {seconds} seconds.", status=429, content_type="text/plain"
            )
            response["Retry-After"] = str(seconds)
            return response
    response = admin.site.login(request, extra_context)
    if request.method == "POST" and request.user.is_authenticated:
        throttles.login_succeeded(request, request.user.get_username())
    return response
