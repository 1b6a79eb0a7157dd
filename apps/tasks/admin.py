"""Admin for tasks. Saving goes through the services, so the admin records activity and emits events like the API."""

from django import forms
from django.contrib import admin

from apps.projects.selectors import is_member
from apps.tasks import services
from apps.tasks.models import Task, TaskActivity


class TaskActivityInline(admin.TabularInline):
    model = TaskActivity
    extra = 0
    fields = ("created_at", "actor", "kind", "changes")
    readonly_fields = fields
    can_delete = False
    ordering = ("created_at", "id")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class TaskAdminForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ("project", *Task.EDITABLE_FIELDS)

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project") or getattr(self.instance, "project", None)
        assignee = cleaned.get("assignee")
        if project is not None and assignee is not None and not is_member(user_id=assignee.pk, project_id=project.pk):
            self.add_error("assignee", "The assignee must be a member of the task's project.")
        return cleaned


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    form = TaskAdminForm
    list_display = ("title", "project", "status", "priority", "assignee", "due_at", "updated_at", "version")
    list_filter = ("status", "priority", "project", "due_at")
    search_fields = ("title", "description", "project__name", "assignee__username")
    list_select_related = ("project", "assignee")
    autocomplete_fields = ("project", "assignee")
    date_hierarchy = "created_at"
    fields = (
        "project",
        "title",
        "description",
        "status",
        "priority",
        "due_at",
        "assignee",
        "suggested_priority",
        "created_by",
        "created_at",
        "updated_at",
        "completed_at",
        "version",
    )
    readonly_fields = ("suggested_priority", "created_by", "created_at", "updated_at", "completed_at", "version")
    inlines = [TaskActivityInline]

    def get_readonly_fields(self, request, obj=None):
        # A task stays in its project: moving it would strand its assignee and history.
        return ("project", *self.readonly_fields) if obj else self.readonly_fields

    def save_model(self, request, obj: Task, form, change: bool) -> None:
        if change:
            data = {field: form.cleaned_data[field] for field in form.changed_data if field in Task.EDITABLE_FIELDS}
            saved = services.task_update(actor=request.user, task=obj, data=data)
        else:
            saved = services.task_create(
                actor=request.user,
                project=obj.project,
                **{field: form.cleaned_data[field] for field in Task.EDITABLE_FIELDS},
            )
        obj.pk, obj.version, obj.created_at, obj.updated_at = (
            saved.pk,
            saved.version,
            saved.created_at,
            saved.updated_at,
        )

    def delete_model(self, request, obj: Task) -> None:
        services.task_delete(actor=request.user, task=obj)

    def delete_queryset(self, request, queryset) -> None:
        for task in queryset:
            services.task_delete(actor=request.user, task=task)
