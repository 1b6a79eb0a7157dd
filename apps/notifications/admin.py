from django.contrib import admin

from apps.notifications.models import DeadlineReminder, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are made by the rules and delivered by the workers; the admin shows their state."""

    list_display = ("id", "recipient", "kind", "message", "created_at", "read_at", "email_status", "email_attempts")
    list_filter = ("kind", "email_status", "created_at")
    search_fields = ("recipient__username", "message", "email_last_error")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "updated_at")
    search_fields = ("user__username",)
    readonly_fields = ("user", "email", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(admin.ModelAdmin):
    list_display = ("task", "due_at", "notification", "created_at")
    search_fields = ("task__title",)
    readonly_fields = ("task", "due_at", "notification", "created_at")

    def has_add_permission(self, request) -> bool:
        return False
