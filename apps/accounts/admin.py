from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import ValidationError

from apps.accounts.models import User
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
