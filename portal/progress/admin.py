from django.contrib import admin

from portal.progress.models import Activity, LessonProgress, ScenarioResult, SectionRead


class SectionReadInline(admin.TabularInline):
    model = SectionRead
    extra = 0


class ScenarioResultInline(admin.TabularInline):
    model = ScenarioResult
    extra = 0


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "lesson",
        "first_opened_at",
        "last_visited_at",
        "completed_at",
    ]
    list_filter = ["lesson"]
    search_fields = ["user__username", "lesson__slug"]
    raw_id_fields = ["user"]
    inlines = [SectionReadInline, ScenarioResultInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "lesson", "kind", "detail"]
    list_filter = ["kind"]
    search_fields = ["user__username", "lesson__slug"]
    raw_id_fields = ["user"]
    date_hierarchy = "at"
