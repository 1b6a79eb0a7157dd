"""Admin for projects and memberships. Saves and deletions go through the services, like the API's."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count

from apps.projects import services
from apps.projects.models import Membership, Project


class MembershipInline(admin.TabularInline):
    """Read-only here: members are added, changed and removed on the Membership pages, through the services."""

    model = Membership
    extra = 0
    fields = ("user", "role", "joined_at")
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "member_count", "task_count", "created_at")
    search_fields = ("name", "description", "owner__username")
    list_filter = ("created_at",)
    list_select_related = ("owner",)
    autocomplete_fields = ("owner",)
    inlines = [MembershipInline]

    def get_queryset(self, request):
        # Counted in the list's one query rather than two more queries per row.
        return (
            super()
            .get_queryset(request)
            .annotate(members=Count("memberships", distinct=True), task_total=Count("tasks", distinct=True))
        )

    @admin.display(description="members", ordering="members")
    def member_count(self, obj: Project) -> int:
        return obj.members

    @admin.display(description="tasks", ordering="task_total")
    def task_count(self, obj: Project) -> int:
        return obj.task_total

    def get_readonly_fields(self, request, obj=None):
        # After creation the owner follows the owner memberships (services keep it in step).
        return ("owner", "created_at", "updated_at") if obj else ("created_at", "updated_at")

    def save_model(self, request, obj: Project, form, change: bool) -> None:
        if change:
            data = {field: form.cleaned_data[field] for field in form.changed_data}
            services.project_update(actor=request.user, project=obj, data=data)
        else:
            created = services.project_create(actor=obj.owner, name=obj.name, description=obj.description)
            obj.pk, obj.created_at, obj.updated_at = created.pk, created.created_at, created.updated_at

    def delete_model(self, request, obj: Project) -> None:
        services.project_delete(actor=request.user, project=obj)

    def delete_queryset(self, request, queryset) -> None:
        for project in queryset:
            services.project_delete(actor=request.user, project=project)


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("project", "user", "role")

    def clean_role(self):
        role = self.cleaned_data["role"]
        instance = self.instance
        if instance.pk and instance.role == Membership.Role.OWNER and role != Membership.Role.OWNER:
            owners = Membership.objects.filter(project_id=instance.project_id, role=Membership.Role.OWNER)
            if not owners.exclude(pk=instance.pk).exists():
                raise ValidationError("The last owner cannot stop being an owner.")
        return role


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ("user", "project", "role", "joined_at")
    list_filter = ("role",)
    search_fields = ("user__username", "project__name")
    list_select_related = ("user", "project")
    autocomplete_fields = ("user", "project")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "project", "joined_at") if obj else ("joined_at",)

    def save_model(self, request, obj: Membership, form, change: bool) -> None:
        if change:
            stored = Membership.objects.get(pk=obj.pk)
            services.membership_change_role(actor=request.user, project=obj.project, membership=stored, role=obj.role)
        else:
            created = services.membership_add(actor=request.user, project=obj.project, user=obj.user, role=obj.role)
            obj.pk, obj.joined_at = created.pk, created.joined_at

    def delete_model(self, request, obj: Membership) -> None:
        self._remove(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for membership in queryset.select_related("project"):
            self._remove(request, membership)

    def _remove(self, request, membership: Membership) -> None:
        try:
            services.membership_remove(actor=request.user, project=membership.project, membership=membership)
        except ValidationError as exc:
            # Deletion has no form to show errors on; say why this one was kept.
            self.message_user(request, f"{membership}: {' '.join(exc.messages)}", level=messages.ERROR)
