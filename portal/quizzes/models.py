"""Quizzes, their versioned questions, and learners' attempts and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.curriculum.models import Lesson

REVIEW_ITEMS = ("answer", "correctness", "points", "explanation", "right_answer")


class Quiz(models.Model):
    """The quiz of one lesson, with the settings of its quiz.yaml."""

    class Grading(models.TextChoices):
        HIGHEST = "highest", "Highest attempt"
        LAST = "last", "Last attempt"

    class Feedback(models.TextChoices):
        IMMEDIATE = "immediate", "Immediate (check each answer)"
        DEFERRED = "deferred", "Deferred (after submitting)"

    lesson = models.OneToOneField(Lesson, on_delete=models.CASCADE, related_name="quiz")
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    pass_mark = models.PositiveSmallIntegerField(default=70)
    time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    max_attempts = models.PositiveIntegerField(null=True, blank=True)
    grading = models.CharField(
        max_length=10, choices=Grading.choices, default=Grading.HIGHEST
    )
    feedback = models.CharField(
        max_length=10, choices=Feedback.choices, default=Feedback.DEFERRED
    )
    one_per_page = models.BooleanField(default=False)
    shuffle_options = models.BooleanField(default=True)
    # {"after_attempt": [...], "while_open": [...], "after_close": [...]}, each a
    # subset of REVIEW_ITEMS.
    review = models.JSONField(default=dict, blank=True)
    # After this moment no attempt starts and no answer is saved; attempts still in
    # progress are graded on what they saved, and the `after_close` review applies.
    closes_at = models.DateTimeField(null=True, blank=True)
    is_retired = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("quizzes:quiz", args=[self.lesson.slug])

    @property
    def is_immediate(self) -> bool:
        return self.feedback == self.Feedback.IMMEDIATE

    def is_closed(self, now: datetime | None = None) -> bool:
        return self.closes_at is not None and (now or timezone.now()) >= self.closes_at


class Question(models.Model):
    """A question of a quiz; `key` is stable, its content lives in versions."""

    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple response"
        TRUE_FALSE = "truefalse", "True or false"
        ORDERING = "ordering", "Ordering"
        MATCHING = "matching", "Matching"
        NUMERIC = "numeric", "Numeric"
        SHORT = "short", "Short text"
        OPEN = "open", "Open response"

    class Source(models.TextChoices):
        FILE = "file", "quiz.yaml"
        GIFT = "gift", "GIFT import"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    points = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    # Only questions from quiz.yaml are retired when they leave the file; imported ones
    # stay until an instructor retires them.
    source = models.CharField(max_length=10, choices=Source.choices, default="file")
    # The `$CATEGORY` path of an imported GIFT question, kept for instructors; not shown.
    category = models.CharField(max_length=255, blank=True)
    is_retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "key"], name="unique_question_key")
        ]

    def __str__(self) -> str:
        return f"{self.quiz.lesson.slug}/{self.key}"

    @property
    def is_graded(self) -> bool:
        return self.kind != self.Kind.OPEN


class QuestionVersion(models.Model):
    """An immutable snapshot of a question's text, explanation and answer data."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    explanation = models.TextField(blank=True)
    # The answer data of the question's kind, normalised for the grading functions:
    # options with fractions, ordered items, pairs, numeric answers, accepted texts.
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="unique_question_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("A question version is never changed; add a new one.")
        super().save(*args, **kwargs)


class Attempt(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(default=0)
    # The order options, items or match choices are shown in, per question key, drawn
    # once at the start so a reload shows the same order.
    option_order = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="unique_attempt_number"
            ),
            # Two tabs starting at once must not get two attempts.
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(state="in_progress"),
                name="one_attempt_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} · attempt {self.number} by {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("quizzes:attempt", args=[self.quiz.lesson.slug, self.pk])

    @property
    def is_submitted(self) -> bool:
        return self.state == self.State.SUBMITTED

    @property
    def percent(self) -> float | None:
        if self.score is None or not self.max_score:
            return None
        return round(100 * self.score / self.max_score, 1)

    @property
    def passed(self) -> bool:
        percent = self.percent
        return percent is not None and percent >= self.quiz.pass_mark


class Answer(models.Model):
    """A learner's answer to one question, pinned to the version the attempt started with."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers"
    )
    version = models.ForeignKey(
        QuestionVersion, on_delete=models.PROTECT, related_name="answers"
    )
    # The version whose key produced `fraction`: the pinned one, or the current one
    # after a regrade.
    graded_version = models.ForeignKey(
        QuestionVersion,
        on_delete=models.PROTECT,
        related_name="graded_answers",
        null=True,
        blank=True,
    )
    position = models.PositiveIntegerField(default=0)
    response = models.JSONField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    # Set when an immediate-feedback question was checked; the answer is then locked.
    checked_at = models.DateTimeField(null=True, blank=True)
    fraction = models.FloatField(null=True, blank=True)
    points = models.FloatField(null=True, blank=True)
    feedback = models.TextField(blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="unique_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.question.key}"

    @property
    def is_answered(self) -> bool:
        return self.response not in (None, "", [], {})


class DiscussionResponse(models.Model):
    """A learner's written answer to one of a lesson's discussion questions.

    The model answer is shown only once the learner has submitted a response; the learner
    then rates their own answer against it, and an instructor may grade it with feedback.
    """

    class SelfAssessment(models.TextChoices):
        MISSED = "missed", "I missed the main points"
        PARTLY = "partly", "I covered some of the points"
        COVERED = "covered", "I covered the main points"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="discussion_responses",
    )
    question = models.ForeignKey(
        "curriculum.DiscussionQuestion",
        on_delete=models.CASCADE,
        related_name="responses",
    )
    text = models.TextField()
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    self_assessment = models.CharField(
        max_length=10, choices=SelfAssessment.choices, blank=True
    )
    # Instructor grading: a mark between 0 and 1 with feedback the learner then sees.
    grade = models.FloatField(null=True, blank=True)
    feedback = models.TextField(blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="graded_discussion_responses",
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="unique_discussion_response"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.question.key}"
