"""Scenarios loaded from lessons/ and learners' runs, stored as their list of actions.

A run's state is never stored: it is replay(scenario, seed, actions), so any app server can
serve any request of a run, and an instructor's replay is the learner's run exactly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from portal.curriculum.models import Lesson


class Scenario(models.Model):
    """A sandbox scenario as validated from its YAML file; `slug` is its stable key."""

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="scenarios"
    )
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    data = models.JSONField()
    is_retired = models.BooleanField(default=False)
    loaded_at = models.DateTimeField()

    class Meta:
        ordering = ["lesson__position", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sandbox:scenario", args=[self.slug])


class Run(models.Model):
    """One learner's play of a scenario."""

    class State(models.TextChoices):
        ACTIVE = "active", "In progress"
        FINISHED = "finished", "Finished"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="runs"
    )
    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="runs"
    )
    seed = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # The score as computed when the run finished: {"total": float, "items": {...}}.
    score = models.JSONField(null=True, blank=True)
    total_score = models.FloatField(null=True, blank=True)
    action_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "scenario", "state"])]
        constraints = [
            # Starting twice at once (two tabs, a double click) must resume, not fork.
            models.UniqueConstraint(
                fields=["user", "scenario"],
                condition=models.Q(state="active"),
                name="one_active_run_per_scenario",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.scenario.slug} ({self.pk})"

    def get_absolute_url(self) -> str:
        return reverse("sandbox:run", args=[self.pk])


class RunAction(models.Model):
    """One action of a run, in order; the list is append-only."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="actions")
    index = models.PositiveIntegerField()
    text = models.TextField()
    # The simulated time the engine stamped on the action (its clock, in seconds).
    at = models.IntegerField()
    # The token of the form rendering that posted it: a retried post stores nothing.
    # NULL, not "", so actions without a token never collide in the unique constraint.
    token = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "index"], name="unique_run_action_index"
            ),
            models.UniqueConstraint(
                fields=["run", "token"], name="unique_run_action_token"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.index}: {self.text}"
