from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from portal.accounts.models import time_zone_names
from portal.accounts.roles import is_instructor
from portal.classroom.models import Assignment, Cohort, Membership
from portal.curriculum.models import Lesson
from portal.quizzes.models import Quiz
from portal.sandbox.models import Scenario

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in time_zone_names()]


class CohortForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=_time_zone_choices,
        initial="UTC",
        help_text="Opening and due times of assignments are entered in this zone.",
    )

    class Meta:
        model = Cohort
        fields = ["name", "time_zone"]


class JoinForm(forms.Form):
    code = forms.CharField(
        label="Join code",
        max_length=16,
        help_text="The code your instructor gave you, for example K7PQ2MZX.",
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class InstructorForm(forms.Form):
    username = forms.CharField(label="Co-instructor's username", max_length=150)

    def clean_username(self) -> User:
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username=username).first()
        if user is None or not is_instructor(user):
            raise forms.ValidationError("There is no instructor with that username.")
        return user


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_INPUT, **kwargs)


class AssignmentForm(forms.Form):
    """What to assign and when; times are read in the active (the cohort's) time zone."""

    target = forms.ChoiceField(
        label="What to assign",
        help_text=(
            "Each activity can be assigned once per class. Changing what an existing "
            "assignment points to deletes its extensions and score overrides."
        ),
    )
    opens_at = forms.DateTimeField(
        label="Opens at", widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT]
    )
    due_at = forms.DateTimeField(
        label="Due at", widget=LocalDateTimeInput(), input_formats=[LOCAL_INPUT]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = target_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_at, due_at = data.get("opens_at"), data.get("due_at")
        if opens_at and due_at and due_at <= opens_at:
            self.add_error("due_at", "The due time must be after the opening time.")
        return data

    def apply(self, assignment: Assignment) -> Assignment:
        kind, _, pk = self.cleaned_data["target"].partition(":")
        assignment.kind = kind
        assignment.lesson_id = int(pk) if kind == Assignment.Kind.LESSON else None
        assignment.quiz_id = int(pk) if kind == Assignment.Kind.QUIZ else None
        assignment.scenario_id = int(pk) if kind == Assignment.Kind.SCENARIO else None
        assignment.opens_at = self.cleaned_data["opens_at"]
        assignment.due_at = self.cleaned_data["due_at"]
        return assignment


def target_of(assignment: Assignment) -> str:
    pk = assignment.lesson_id or assignment.quiz_id or assignment.scenario_id
    return f"{assignment.kind}:{pk}"


def target_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    lessons = Lesson.objects.filter(is_retired=False).order_by("position")
    quizzes = Quiz.objects.filter(is_retired=False).select_related("lesson")
    scenarios = Scenario.objects.filter(is_retired=False)
    return [
        (
            "Lessons",
            [(f"lesson:{x.pk}", f"Lesson {x.number}: {x.title}") for x in lessons],
        ),
        ("Quizzes", [(f"quiz:{q.pk}", f"Quiz: {q.title}") for q in quizzes]),
        (
            "Scenarios",
            [(f"scenario:{s.pk}", f"Scenario: {s.title}") for s in scenarios],
        ),
    ]


class ExtensionForm(forms.Form):
    learner = forms.ModelChoiceField(queryset=User.objects.none())
    extra_minutes = forms.IntegerField(
        label="Extra time (minutes)", min_value=0, max_value=60 * 24 * 365, initial=0
    )
    extra_attempts = forms.IntegerField(
        label="Extra quiz attempts", min_value=0, max_value=100, initial=0
    )

    def __init__(self, cohort: Cohort, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        learner_field = self.fields["learner"]
        assert isinstance(learner_field, forms.ModelChoiceField)
        learner_field.queryset = User.objects.filter(
            cohort_memberships__cohort=cohort,
            cohort_memberships__role=Membership.Role.LEARNER,
        ).order_by("username")


class OverrideForm(forms.Form):
    score = forms.FloatField(label="New score (%)", min_value=0, max_value=100)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Kept in the audit trail with your name and the time.",
    )


class AnswerGradeForm(forms.Form):
    points = forms.FloatField(min_value=0)
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, max_points: float, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_points = max_points
        self.fields["points"].label = f"Points (out of {max_points:g})"

    def clean_points(self) -> float:
        points: float = self.cleaned_data["points"]
        if points > self.max_points:
            raise forms.ValidationError(f"At most {self.max_points:g} points.")
        return points


class DiscussionGradeForm(forms.Form):
    mark = forms.FloatField(label="Mark (%)", min_value=0, max_value=100)
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
