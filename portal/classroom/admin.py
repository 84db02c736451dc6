from django.contrib import admin

from portal.classroom.models import (
    Assignment,
    Cohort,
    Extension,
    Membership,
    ResponseGrade,
    ScoreOverride,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "time_zone", "created_at"]
    search_fields = ["name", "code"]
    inlines = [MembershipInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "kind", "opens_at", "due_at"]
    list_filter = ["kind"]
    raw_id_fields = ["cohort", "lesson", "quiz", "scenario"]


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ["assignment", "user", "extra_minutes", "extra_attempts"]
    raw_id_fields = ["assignment", "user", "granted_by"]


@admin.register(ScoreOverride)
class ScoreOverrideAdmin(admin.ModelAdmin):
    """The audit trail is read-only: an override is corrected by a newer one."""

    list_display = ["assignment", "user", "old_score", "new_score", "changed_by"]
    readonly_fields = [f.name for f in ScoreOverride._meta.fields]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ResponseGrade)
class ResponseGradeAdmin(admin.ModelAdmin):
    list_display = ["answer", "points", "graded_by", "graded_at"]
    raw_id_fields = ["answer", "graded_by"]
