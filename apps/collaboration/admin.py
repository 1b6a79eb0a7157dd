from django.contrib import admin

from apps.collaboration.models import Comment, Label, Watcher


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "task", "author", "created_at", "edited_at")
    list_select_related = ("task", "author")
    raw_id_fields = ("task", "author", "mentions")
    search_fields = ("body",)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("name", "color", "project")
    list_select_related = ("project",)
    raw_id_fields = ("project",)


@admin.register(Watcher)
class WatcherAdmin(admin.ModelAdmin):
    list_display = ("task", "user", "created_at")
    raw_id_fields = ("task", "user")
