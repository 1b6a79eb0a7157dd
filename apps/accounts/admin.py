from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse

from apps.accounts import throttles
from apps.accounts.models import RevokedTokenFamily, User


@admin.register(User)
class TaskFlowUserAdmin(UserAdmin):
    list_display = ("username", "email", "is_active", "is_staff", "date_joined", "last_login")


@admin.register(RevokedTokenFamily)
class RevokedTokenFamilyAdmin(admin.ModelAdmin):
    """Written by the token services only (logout, refresh-token reuse); visible here for an operator."""

    list_display = ("family", "user", "reason", "revoked_at")
    list_filter = ("reason",)
    search_fields = ("user__username", "family")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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
