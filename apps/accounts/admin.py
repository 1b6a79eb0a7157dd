from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from apps.accounts import throttles
from apps.accounts.models import RevokedTokenFamily, User
from apps.accounts.services import USERNAME_TAKEN, username_taken


class CanonicalUserCreationForm(AdminUserCreationForm):
    """Django's form checks names by case only; this one by canonical form too, so a fullwidth twin of an existing
    name is a form error rather than the unique index's IntegrityError."""

    class Meta(AdminUserCreationForm.Meta):
        model = User

    def clean_username(self) -> str:
        username = super().clean_username()
        if username and username_taken(username):
            raise ValidationError(USERNAME_TAKEN)
        return username


@admin.register(User)
class TaskFlowUserAdmin(UserAdmin):
    add_form = CanonicalUserCreationForm
    list_display = ("username", "email", "email_verified", "is_active", "is_staff", "date_joined", "last_login")
    list_filter = (*UserAdmin.list_filter, "email_verified")
    fieldsets = (*UserAdmin.fieldsets, ("Email verification", {"fields": ("email_verified", "pending_email")}))


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
