"""What each learner has done in each lesson, and a log of it.

Sections are remembered by their kind ("simple", "technical", ...), the stable key a lesson
file gives them, never by row id or position: a section added to a lesson later is simply
unread, and one removed from it stops counting without erasing what was recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.curriculum.models import Lesson


class LessonProgress(models.Model):
    """One learner's progress in one lesson."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.PROTECT, related_name="progress"
    )
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_visited_at = models.DateTimeField(null=True, blank=True)
    last_section = models.CharField(
        max_length=20,
        blank=True,
        help_text="Kind of the section the learner was last at.",
    )
    quiz_best_score = models.FloatField(
        null=True, blank=True, help_text="Best quiz score, in percent."
    )
    quiz_best_at = models.DateTimeField(null=True, blank=True)
    quiz_passed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the quiz was first passed."
    )
    completed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the completion rule was first met."
    )

    class Meta:
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="unique_lesson_progress"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.lesson.slug}"


class SectionRead(models.Model):
    """A section the learner has read, by its kind."""

    progress = models.ForeignKey(
        LessonProgress, on_delete=models.CASCADE, related_name="sections_read"
    )
    kind = models.CharField(max_length=20)
    read_at = models.DateTimeField()

    class Meta:
        ordering = ["read_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["progress", "kind"], name="unique_section_read"
            )
        ]

    def __str__(self) -> str:
        return f"{self.progress}: {self.kind}"


class ScenarioResult(models.Model):
    """The best score of a finished run of one of the lesson's sandbox scenarios."""

    progress = models.ForeignKey(
        LessonProgress, on_delete=models.CASCADE, related_name="scenario_results"
    )
    scenario_slug = models.SlugField(max_length=120)
    best_score = models.FloatField(help_text="Best score, in percent.")
    best_at = models.DateTimeField()
    first_finished_at = models.DateTimeField()

    class Meta:
        ordering = ["scenario_slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["progress", "scenario_slug"], name="unique_scenario_result"
            )
        ]

    def __str__(self) -> str:
        return f"{self.progress}: {self.scenario_slug}"


class Activity(models.Model):
    """One entry of a learner's recent activity."""

    class Kind(models.TextChoices):
        STARTED = "started", "Started the lesson"
        SECTION_READ = "section_read", "Read a section"
        READ_TO_END = "read_to_end", "Read to the end"
        QUIZ = "quiz", "Took the quiz"
        QUIZ_REGRADED = "quiz_regraded", "Quiz regraded"
        SCENARIO = "scenario", "Finished a scenario"
        COMPLETED = "completed", "Completed the lesson"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "activities"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "-at"], name="activity_user_recent")]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} ({self.lesson.slug})"

    @property
    def shown_detail(self) -> str:
        """The detail as the learner may see it: a quiz score only when released.

        Load the activity with `lesson__quiz` selected so this costs no query.
        """
        if self.kind not in (self.Kind.QUIZ, self.Kind.QUIZ_REGRADED):
            return self.detail
        from portal.progress.completion import quiz_review

        shown = quiz_review(self.lesson, self.at)
        if {"points", "correctness"} <= shown:
            return self.detail
        if self.kind == self.Kind.QUIZ_REGRADED:
            return "result not released yet"
        score, _, passed = self.detail.partition(", ")
        parts = [
            *([score] if "points" in shown else []),
            *([passed or "not passed"] if "correctness" in shown else []),
        ]
        return ", ".join(parts) or "submitted"
