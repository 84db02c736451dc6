"""Cohorts of learners, their instructors, assignments with deadlines, and grading records.

Due dates are stored as aware datetimes and entered in the cohort's time zone; a learner
sees them in the zone of their own profile.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse

from portal.accounts.models import validate_time_zone
from portal.curriculum.models import Lesson
from portal.quizzes.models import Answer, Quiz
from portal.sandbox.models import Scenario

# Join codes avoid letters and digits that read alike (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CohortQuerySet(models.QuerySet["Cohort"]):
    def taught_by(self, user: User | AnonymousUser) -> CohortQuerySet:
        """The cohorts the user teaches; empty for anyone else, anonymous included."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            memberships__user=user, memberships__role=Membership.Role.INSTRUCTOR
        )

    def attended_by(self, user: User | AnonymousUser) -> CohortQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            memberships__user=user, memberships__role=Membership.Role.LEARNER
        )


class Cohort(models.Model):
    """A class of learners taught by one or more instructors."""

    name = models.CharField(max_length=120)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Opening and due times of assignments are entered in this zone.",
    )
    code = models.CharField(max_length=16, unique=True, default=new_join_code)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("classroom:cohort", args=[self.code])

    def join_url(self) -> str:
        return reverse("classroom:join-link", args=[self.code])


class Membership(models.Model):
    class Role(models.TextChoices):
        LEARNER = "learner", "Learner"
        INSTRUCTOR = "instructor", "Instructor"
        # A removed learner kept out: joining with the code or the link is refused.
        BLOCKED = "blocked", "Blocked"

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cohort_memberships",
    )
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.LEARNER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], name="unique_cohort_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort} ({self.role})"


class Assignment(models.Model):
    """A lesson, a quiz or a scenario a cohort must complete between two times."""

    class Kind(models.TextChoices):
        LESSON = "lesson", "Lesson"
        QUIZ = "quiz", "Quiz"
        SCENARIO = "scenario", "Scenario"

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="assignments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="lesson",
                        lesson__isnull=False,
                        quiz__isnull=True,
                        scenario__isnull=True,
                    )
                    | models.Q(
                        kind="quiz",
                        lesson__isnull=True,
                        quiz__isnull=False,
                        scenario__isnull=True,
                    )
                    | models.Q(
                        kind="scenario",
                        lesson__isnull=True,
                        quiz__isnull=True,
                        scenario__isnull=False,
                    )
                ),
                name="assignment_has_one_target_of_its_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(due_at__gt=models.F("opens_at")),
                name="assignment_due_after_opening",
            ),
            # One activity is assigned at most once per cohort.
            models.UniqueConstraint(
                fields=["cohort", "lesson"],
                condition=models.Q(lesson__isnull=False),
                name="unique_lesson_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["cohort", "quiz"],
                condition=models.Q(quiz__isnull=False),
                name="unique_quiz_per_cohort",
            ),
            models.UniqueConstraint(
                fields=["cohort", "scenario"],
                condition=models.Q(scenario__isnull=False),
                name="unique_scenario_per_cohort",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.opens_at and self.due_at and self.due_at <= self.opens_at:
            raise ValidationError({"due_at": "The due time must be after the opening."})

    @property
    def title(self) -> str:
        if self.kind == self.Kind.QUIZ and self.quiz is not None:
            return f"Quiz: {self.quiz.title}"
        if self.kind == self.Kind.SCENARIO and self.scenario is not None:
            return f"Scenario: {self.scenario.title}"
        if self.lesson is not None:
            return f"Lesson {self.lesson.number}: {self.lesson.title}"
        return "Assignment"

    @property
    def target_url(self) -> str:
        if self.kind == self.Kind.QUIZ and self.quiz is not None:
            return reverse("quizzes:quiz", args=[self.quiz.lesson.slug])
        if self.kind == self.Kind.SCENARIO and self.scenario is not None:
            try:
                return self.scenario.get_absolute_url()
            except NoReverseMatch:
                # The sandbox pages may not be installed in every deployment yet.
                return ""
        if self.lesson is not None:
            return self.lesson.get_absolute_url()
        return ""


class Extension(models.Model):
    """Extra time and extra quiz attempts for one learner on one assignment."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extensions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    extra_minutes = models.PositiveIntegerField(default=0)
    extra_attempts = models.PositiveIntegerField(default=0)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user"], name="unique_extension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.assignment_id}: +{self.extra_minutes} min"

    @property
    def due_at(self) -> datetime:
        """The learner's own due time on the assignment."""
        return self.assignment.due_at + timedelta(minutes=self.extra_minutes)


class ScoreOverride(models.Model):
    """An instructor's change of a learner's score on an assignment; rows are never edited.

    The newest row is the learner's score; the older rows are the audit trail.
    """

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="overrides"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    old_score = models.FloatField(null=True, blank=True)
    new_score = models.FloatField()
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return (
            f"{self.user} on {self.assignment_id}: {self.old_score} → {self.new_score}"
        )


class ResponseGrade(models.Model):
    """An instructor's mark and feedback on an open quiz answer: the audit record.

    The mark itself is written onto the answer (and its attempt's score) by
    `portal.quizzes.attempts.apply_manual_mark`; these rows record who graded what and
    when. A re-grade adds a row and never edits one: the newest row is the current mark.
    """

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="instructor_grades"
    )
    points = models.FloatField()
    feedback = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    graded_at = models.DateTimeField()

    class Meta:
        ordering = ["-graded_at", "-pk"]

    def __str__(self) -> str:
        return f"grade of answer {self.answer_id}: {self.points}"
