from django.contrib import admin

from portal.sandbox.models import Run, RunAction, Scenario


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "lesson", "is_retired", "loaded_at"]
    list_filter = ["is_retired"]
    search_fields = ["slug", "title"]
    readonly_fields = ["data", "loaded_at"]


class RunActionInline(admin.TabularInline):
    model = RunAction
    fields = ["index", "at", "text", "created_at"]
    readonly_fields = ["index", "at", "text", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "scenario", "state", "action_count", "total_score"]
    list_filter = ["state", "scenario"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]
    readonly_fields = ["seed", "score", "started_at", "finished_at", "action_count"]
    inlines = [RunActionInline]
