from django.contrib import admin

from portal.quizzes.models import Answer, Attempt, Question, QuestionVersion, Quiz


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["key", "kind", "points", "position", "version", "source", "is_retired"]
    readonly_fields = ["key", "kind", "version", "source"]
    extra = 0
    show_change_link = True


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ["title", "lesson", "grading", "feedback", "is_retired"]
    list_filter = ["is_retired", "feedback"]
    inlines = [QuestionInline]


class QuestionVersionInline(admin.StackedInline):
    model = QuestionVersion
    readonly_fields = ["number", "text", "explanation", "data", "created_at"]
    extra = 0
    can_delete = False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "quiz", "kind", "points", "version", "is_retired"]
    list_filter = ["kind", "is_retired", "source"]
    search_fields = ["key"]
    inlines = [QuestionVersionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ["question", "version", "response", "saved_at", "fraction", "points"]
    readonly_fields = [
        "question",
        "version",
        "response",
        "saved_at",
        "fraction",
        "points",
    ]
    extra = 0
    can_delete = False


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["quiz", "user", "number", "state", "score", "max_score"]
    list_filter = ["state"]
    search_fields = ["user__username"]
    readonly_fields = ["started_at", "deadline", "submitted_at", "option_order"]
    inlines = [AnswerInline]
