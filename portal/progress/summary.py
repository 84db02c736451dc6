"""Reading a learner's progress for the lesson page, the dashboard and the data export.

Each function runs a fixed number of queries, however many lessons or activities exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import (
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)

from portal.accounts.models import Profile
from portal.accounts.roles import is_instructor
from portal.classroom.facts import json_rows, moment
from portal.classroom.matrix import learner_assignments, learner_feedback
from portal.classroom.models import Membership, ResponseGrade, ScoreOverride
from portal.curriculum.models import Lesson, Section
from portal.progress.completion import RESULT_ITEMS, LessonStatus, evaluate
from portal.progress.models import Activity, LessonProgress, ScenarioResult, SectionRead
from portal.quizzes.models import Answer, Attempt, DiscussionResponse
from portal.sandbox.models import Run

RECENT_ACTIVITY = 10


# The attribute `with_progress_of` gives each row: the user's progress row or None.
PROGRESS = "my_progress"


def with_progress_of(
    queryset: QuerySet[Any], user: User, lesson_path: str = ""
) -> QuerySet[Any]:
    """Join each row's lesson to the user's progress row in it, in the same query.

    `lesson_path` leads from the queryset's model to the lesson ("" for lessons).
    """
    relation = f"{lesson_path}__progress" if lesson_path else "progress"
    return queryset.annotate(
        **{
            PROGRESS: FilteredRelation(
                relation, condition=Q(**{f"{relation}__user": user})
            )
        }
    ).select_related(PROGRESS)


def progress_of(row: Any) -> LessonProgress | None:
    """The progress row `with_progress_of` joined, if any."""
    progress: LessonProgress | None = getattr(row, PROGRESS, None)
    return progress


def with_read_flags(sections: QuerySet[Section], user: User) -> QuerySet[Section]:
    """Flag each section `is_read` when the user has read it, in the same query."""
    reads = SectionRead.objects.filter(
        progress__user=user,
        progress__lesson=OuterRef("lesson_id"),
        kind=OuterRef("kind"),
    )
    return sections.annotate(is_read=Exists(reads))


def read_kinds(sections: Iterable[Section]) -> list[str]:
    """The kinds of the sections `with_read_flags` flagged read."""
    return [section.kind for section in sections if getattr(section, "is_read", False)]


def lesson_status(progress: LessonProgress, sections: list[Section]) -> LessonStatus:
    """The status of one lesson whose current sections are already loaded."""
    return evaluate(
        progress.lesson,
        sections,
        progress,
        [read.kind for read in progress.sections_read.all()],
        list(progress.scenario_results.all()),
    )


def anonymous_status(lesson: Lesson, sections: list[Section]) -> LessonStatus:
    return evaluate(lesson, sections, None)


@dataclass(frozen=True)
class Overview:
    """Everything the dashboard shows about one learner."""

    profile: Profile
    lessons: list[LessonStatus]
    activities: list[Activity]
    attends_cohort: bool
    has_feedback: bool

    @property
    def percent(self) -> int:
        if not self.lessons:
            return 0
        return sum(status.percent for status in self.lessons) // len(self.lessons)

    @property
    def completed_count(self) -> int:
        return sum(1 for status in self.lessons if status.is_complete)

    @property
    def continue_at(self) -> LessonStatus | None:
        """The lesson to go back to: the latest one visited and not complete."""
        visited = [
            status
            for status in self.lessons
            if status.progress is not None
            and status.progress.last_visited_at is not None
            and not status.is_complete
        ]
        if visited:
            return max(visited, key=_last_visited)
        return next((status for status in self.lessons if not status.is_started), None)

    @property
    def results(self) -> list[LessonStatus]:
        return [
            status
            for status in self.lessons
            if status.progress is not None
            and (status.progress.quiz_best_at is not None or status.scenario_results)
        ]


def _last_visited(status: LessonStatus) -> datetime:
    assert status.progress is not None and status.progress.last_visited_at is not None
    return status.progress.last_visited_at


def learner_overview(
    user: User, activity_limit: int | None = RECENT_ACTIVITY, history: bool = False
) -> Overview:
    """Load the learner's standing in every current lesson and their recent activity.

    The lessons come with the learner's progress rows and scenario results joined, and
    their current sections flagged read or not in a second query; a third reads the
    activity and the profile. `history` also loads when each section was read, for the
    export.
    """
    # The quiz comes joined: its review options decide whether results are shown.
    lessons = list(
        with_progress_of(Lesson.objects.current().select_related("quiz"), user)
        .annotate(
            my_scenario_results=_scenario_results_of(user),
            # The same on every row: it spares reading activity there is none of.
            learner_has_activity=Exists(Activity.objects.filter(user=user)),
        )
        .prefetch_related(
            Prefetch(
                "sections",
                queryset=with_read_flags(
                    Section.objects.filter(is_retired=False), user
                ),
                to_attr="current_sections",
            )
        )
    )
    if history:
        rows = [progress for lesson in lessons if (progress := progress_of(lesson))]
        prefetch_related_objects(rows, "sections_read")

    statuses = []
    for lesson in lessons:
        sections = lesson.current_sections  # type: ignore[attr-defined]
        progress = progress_of(lesson)
        if progress is None:
            statuses.append(anonymous_status(lesson, sections))
            continue
        progress.lesson = lesson
        results = _scenario_results(
            progress,
            lesson.my_scenario_results,  # type: ignore[attr-defined]
        )
        statuses.append(
            evaluate(lesson, sections, progress, read_kinds(sections), results)
        )

    # With no lesson loaded there is no flag: look for activity all the same.
    first: Any = lessons[0] if lessons else None
    has_activity = first.learner_has_activity if first is not None else True
    activities, profile = _activity_and_profile(user, activity_limit, has_activity)
    return Overview(
        profile=profile,
        lessons=statuses,
        activities=activities,
        # A profile created just now carries no flags: let the caller look.
        attends_cohort=getattr(profile, "attends_cohort", True),
        has_feedback=getattr(profile, "has_feedback", True),
    )


def _scenario_results_of(user: User) -> Any:
    """The user's scenario results in each lesson, as a JSON array on the lesson row."""
    results = ScenarioResult.objects.filter(
        progress__user=user, progress__lesson=OuterRef("pk")
    )
    return json_rows(
        results,
        "progress",
        id=F("pk"),
        slug=F("scenario_slug"),
        best_score=F("best_score"),
        best_at=F("best_at"),
        first_finished_at=F("first_finished_at"),
    )


def _scenario_results(
    progress: LessonProgress, rows: list[dict[str, Any]] | None
) -> list[ScenarioResult]:
    results = [
        ScenarioResult(
            id=row["id"],
            progress=progress,
            scenario_slug=row["slug"],
            best_score=row["best_score"],
            best_at=moment(row["best_at"]),
            first_finished_at=moment(row["first_finished_at"]),
        )
        for row in rows or []
    ]
    return sorted(results, key=lambda result: result.scenario_slug)


def _activity_and_profile(
    user: User, limit: int | None, has_activity: bool = True
) -> tuple[list[Activity], Profile]:
    """The latest activity, and the profile flagged as `_cohort_flags` says: one query.

    The profile and the flags come joined to the activity rows; a learner known to have
    no activity gets the profile alone. (If the activity read finds none after all, the
    profile costs a second query.)
    """
    if not has_activity:
        return [], _flagged_profile(user)
    activities = (
        Activity.objects.filter(user=user)
        .select_related("lesson__quiz", "user__profile")
        .annotate(**_cohort_flags(user))
    )
    if limit is not None:
        activities = activities[:limit]
    rows: list[Activity] = list(activities)

    profile = getattr(rows[0].user, "profile", None) if rows else None
    if profile is None:
        return rows, _flagged_profile(user)
    for flag in COHORT_FLAGS:
        setattr(profile, flag, getattr(rows[0], flag))
    return rows, profile


# Whether the learner attends a cohort, and has instructors' feedback: the cohort
# part of the dashboard is read only when the first is set, its feedback when both are.
COHORT_FLAGS = ("attends_cohort", "has_feedback")


def _cohort_flags(user: User) -> dict[str, Any]:
    graded = Exists(ResponseGrade.objects.filter(answer__attempt__user=user))
    return {
        "attends_cohort": Exists(
            Membership.objects.filter(user=user, role=Membership.Role.LEARNER)
        ),
        "has_feedback": graded
        | Exists(DiscussionResponse.objects.filter(user=user, graded_at__isnull=False)),
    }


def _flagged_profile(user: User) -> Profile:
    flagged: Profile | None = (
        Profile.objects.filter(user=user).annotate(**_cohort_flags(user)).first()
    )
    return flagged or Profile.objects.for_user(user)


def export_data(user: User) -> dict[str, Any]:
    """Everything the portal holds about the learner, as plain data.

    Profile, progress, results and full activity; every quiz attempt with each saved
    answer; discussion responses with instructors' grades; sandbox runs with their
    actions; cohort memberships, assignments, instructors' feedback and score overrides.

    Quiz results whose quiz's review options are not released yet are included all the
    same: this is the learner's right of access to the data held about them (GDPR
    article 15, "everything the portal holds about them"), which wins over the review
    options, a teaching device. The dashboard and lesson pages keep hiding them.

    A bounded number of queries, however much the learner has done.
    """
    overview = learner_overview(user, activity_limit=None, history=True)
    profile = overview.profile
    assignments = learner_assignments(user.pk) if overview.attends_cohort else []
    return {
        "profile": {
            "username": user.get_username(),
            "email": getattr(user, "email", ""),
            "display_name": profile.display_name,
            "time_zone": profile.time_zone,
            "date_joined": getattr(user, "date_joined", None),
            "last_login": user.last_login,
            "roles": ["learner", *(["instructor"] if is_instructor(user) else [])],
        },
        "overall": {
            "percent": overview.percent,
            "lessons_completed": overview.completed_count,
            "lessons": len(overview.lessons),
        },
        "lessons": [_lesson_data(status) for status in overview.lessons],
        "activity": [
            {
                "at": activity.at,
                "lesson": activity.lesson.slug,
                "kind": activity.kind,
                "description": activity.get_kind_display(),
                "detail": activity.detail,
            }
            for activity in overview.activities
        ],
        "quiz_attempts": _attempts_data(user),
        "discussion_responses": _discussion_data(user),
        "sandbox_runs": _runs_data(user),
        "cohorts": [
            {
                "cohort": membership.cohort.name,
                "role": membership.role,
                "joined_at": membership.joined_at,
            }
            for membership in Membership.objects.filter(user=user).select_related(
                "cohort"
            )
        ],
        "assignments": [
            {
                "cohort": cell.assignment.cohort.name,
                "title": cell.assignment.title,
                "kind": cell.assignment.kind,
                "opens_at": cell.assignment.opens_at,
                "due_at": cell.due_at,
                "state": cell.state,
                "label": cell.label,
                "score": cell.score,
                "finished_at": cell.finished_at,
                "extra_minutes": cell.extra_minutes,
                "extra_attempts": cell.extra_attempts,
                "overridden": cell.overridden,
            }
            for cell in assignments
        ],
        "instructor_feedback": [
            {
                "at": item.at,
                "where": item.where,
                "question": item.question,
                "mark": item.mark,
                "text": item.text,
            }
            for item in learner_feedback(user)
        ],
        "score_overrides": [
            {
                "assignment": override.assignment.title,
                "old_score": override.old_score,
                "new_score": override.new_score,
                "reason": override.reason,
                "changed_at": override.changed_at,
            }
            for override in ScoreOverride.objects.filter(user=user).select_related(
                "assignment__cohort",
                "assignment__lesson",
                "assignment__quiz__lesson",
                "assignment__scenario",
            )
        ],
    }


def _attempts_data(user: User) -> list[dict[str, Any]]:
    attempts = (
        Attempt.objects.filter(user=user)
        .select_related("quiz__lesson")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question", "version"),
            )
        )
        .order_by("started_at", "pk")
    )
    return [
        {
            "lesson": attempt.quiz.lesson.slug,
            "quiz": attempt.quiz.title,
            "number": attempt.number,
            "state": attempt.state,
            "started_at": attempt.started_at,
            "submitted_at": attempt.submitted_at,
            "score": attempt.score,
            "max_score": attempt.max_score,
            "percent": attempt.percent,
            "passed": attempt.passed if attempt.is_submitted else None,
            "answers": [
                {
                    "question": answer.question.key,
                    "text": answer.version.text,
                    "response": answer.response,
                    "saved_at": answer.saved_at,
                    "points": answer.points,
                    "max_points": answer.question.points,
                    "feedback": answer.feedback,
                }
                for answer in attempt.answers.all()
            ],
        }
        for attempt in attempts
    ]


def _discussion_data(user: User) -> list[dict[str, Any]]:
    responses = DiscussionResponse.objects.filter(user=user).select_related(
        "question__lesson"
    )
    return [
        {
            "lesson": response.question.lesson.slug,
            "question": response.question.key,
            "text": response.text,
            "submitted_at": response.submitted_at,
            "updated_at": response.updated_at,
            "self_assessment": response.self_assessment,
            "grade": response.grade,
            "feedback": response.feedback,
            "graded_at": response.graded_at,
        }
        for response in responses.order_by("submitted_at", "pk")
    ]


def _runs_data(user: User) -> list[dict[str, Any]]:
    runs = (
        Run.objects.filter(user=user)
        .select_related("scenario")
        .prefetch_related("actions")
        .order_by("started_at", "pk")
    )
    return [
        {
            "scenario": run.scenario.slug,
            "state": run.state,
            "seed": run.seed,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "score": run.score,
            "total_score": run.total_score,
            "actions": [
                {"index": action.index, "text": action.text, "at": action.at}
                for action in run.actions.all()
            ],
        }
        for run in runs
    ]


def _lesson_data(status: LessonStatus) -> dict[str, Any]:
    progress = status.progress
    data: dict[str, Any] = {
        "lesson": status.lesson.slug,
        "title": status.lesson.title,
        "status": status.state,
        "percent": status.percent,
        "sections_percent": status.sections_percent,
        # The full list, with the quiz's pass as held (see `export_data`).
        "missing": status.todo,
        "continue_url": status.continue_url,
    }
    if progress is None:
        return data
    current = {section.kind for section in status.sections}
    data.update(
        {
            "first_opened_at": progress.first_opened_at,
            "last_visited_at": progress.last_visited_at,
            "completed_at": progress.completed_at,
            "last_section": progress.last_section,
            "sections_read": [
                {
                    "kind": read.kind,
                    "read_at": read.read_at,
                    # A section since removed from the lesson: kept, counted no more.
                    "retired": read.kind not in current,
                }
                for read in progress.sections_read.all()
            ],
            "quiz": {
                "best_score": progress.quiz_best_score,
                "best_at": progress.quiz_best_at,
                "passed_at": progress.quiz_passed_at,
                "released": status.quiz_shown == RESULT_ITEMS,
            },
            "scenarios": [
                {
                    "scenario": result.scenario_slug,
                    "best_score": result.best_score,
                    "best_at": result.best_at,
                    "first_finished_at": result.first_finished_at,
                }
                for result in status.scenario_results
            ],
        }
    )
    return data
