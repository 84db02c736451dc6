"""Lessons and their sections, loaded from the files in lessons/."""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class LessonQuerySet(models.QuerySet["Lesson"]):
    def current(self) -> LessonQuerySet:
        return self.filter(is_retired=False)


class Lesson(models.Model):
    """A lesson as the curriculum files describe it; `slug` is its stable key."""

    slug = models.SlugField(max_length=120, unique=True)
    folder = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=Level.choices)
    number = models.PositiveIntegerField()
    position = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    completion = models.JSONField(default=dict, blank=True)
    is_retired = models.BooleanField(default=False)
    loaded_at = models.DateTimeField()
    # A digest of everything the lesson page shows the same to every reader, set by
    # `load_curriculum`; the page's rendered body is cached under it. Empty for rows
    # written another way, whose body is then rendered on every request.
    content_hash = models.CharField(max_length=64, blank=True, default="")

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["position", "number"]

    def __str__(self) -> str:
        return f"Lesson {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("curriculum:lesson-detail", args=[self.slug])


class Section(models.Model):
    """One part of a lesson; `data` holds the kind-specific content as loaded."""

    class Kind(models.TextChoices):
        SIMPLE = "simple", "Simple explanation"
        TECHNICAL = "technical", "Technical explanation"
        VISUAL = "visual", "Visual"
        COMMANDS = "commands", "Hands-on commands"
        SCENARIO = "scenario", "Debugging scenario"
        QUESTIONS = "questions", "Questions"
        USE_CASE = "use_case", "Real-world use case"
        SUMMARY = "summary", "Summary"

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    position = models.PositiveIntegerField()
    data = models.JSONField(default=dict, blank=True)
    is_retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "kind"], name="unique_section_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.lesson.slug}: {self.title}"

    @property
    def anchor(self) -> str:
        return f"section-{self.kind.replace('_', '-')}"


class DiscussionQuestion(models.Model):
    """A discussion question of a lesson; learners' answers hang on its stable key."""

    class Level(models.TextChoices):
        BEGINNER = "beginner", "Beginner"
        INTERMEDIATE = "intermediate", "Intermediate"
        SCENARIO = "scenario", "Scenario-based"

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="discussion_questions"
    )
    key = models.SlugField(max_length=120)
    level = models.CharField(max_length=20, choices=Level.choices)
    group_title = models.CharField(max_length=100)
    text = models.TextField()
    model_answer = models.TextField(blank=True)
    position = models.PositiveIntegerField()
    is_retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "key"], name="unique_discussion_question_key"
            )
        ]

    def __str__(self) -> str:
        return self.text
