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
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)

from portal.accounts.models import Profile
from portal.accounts.roles import is_instructor
from portal.classroom.models import Membership
from portal.curriculum.models import Lesson, Section
from portal.progress.completion import LessonStatus, evaluate
from portal.progress.models import Activity, LessonProgress, SectionRead

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

    The lessons come with the learner's progress rows joined, their current sections
    flagged read or not in one query, and the scenario results of the progress rows in
    another (skipped when there are none). `history` also loads when each section was
    read, for the export.
    """
    lessons = list(
        with_progress_of(Lesson.objects.current(), user).prefetch_related(
            Prefetch(
                "sections",
                queryset=with_read_flags(
                    Section.objects.filter(is_retired=False), user
                ),
                to_attr="current_sections",
            )
        )
    )
    rows = [progress for lesson in lessons if (progress := progress_of(lesson))]
    lookups = ["scenario_results", *(["sections_read"] if history else [])]
    prefetch_related_objects(rows, *lookups)

    statuses = []
    for lesson in lessons:
        sections = lesson.current_sections  # type: ignore[attr-defined]
        progress = progress_of(lesson)
        if progress is None:
            statuses.append(anonymous_status(lesson, sections))
            continue
        progress.lesson = lesson
        statuses.append(
            evaluate(
                lesson,
                sections,
                progress,
                read_kinds(sections),
                list(progress.scenario_results.all()),
            )
        )

    activities, profile = _activity_and_profile(user, activity_limit)
    return Overview(
        profile=profile,
        lessons=statuses,
        activities=activities,
        # A profile created just now carries no flag: let the caller look.
        attends_cohort=getattr(profile, "attends_cohort", True),
    )


def _activity_and_profile(
    user: User, limit: int | None
) -> tuple[list[Activity], Profile]:
    """The latest activity, and the profile flagged `attends_cohort`.

    The profile and the flag come joined to the activity rows; only a learner with no
    activity yet (and so no progress rows either) pays a query for them.
    """
    cohorts = Membership.objects.filter(user=user, role=Membership.Role.LEARNER)
    activities = (
        Activity.objects.filter(user=user)
        .select_related("lesson", "user__profile")
        .annotate(attends_cohort=Exists(cohorts))
    )
    if limit is not None:
        activities = activities[:limit]
    rows: list[Activity] = list(activities)

    profile = getattr(rows[0].user, "profile", None) if rows else None
    if profile is not None:
        profile.attends_cohort = rows[0].attends_cohort  # type: ignore[attr-defined]
        return rows, profile
    flagged: Profile | None = (
        Profile.objects.filter(user=user)
        .annotate(attends_cohort=Exists(cohorts))
        .first()
    )
    return rows, flagged or Profile.objects.for_user(user)


def export_data(user: User) -> dict[str, Any]:
    """The learner's profile, progress, results and full activity as plain data."""
    overview = learner_overview(user, activity_limit=None, history=True)
    profile = overview.profile
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
    }


def _lesson_data(status: LessonStatus) -> dict[str, Any]:
    progress = status.progress
    data: dict[str, Any] = {
        "lesson": status.lesson.slug,
        "title": status.lesson.title,
        "status": status.state,
        "percent": status.percent,
        "missing": status.missing,
        "continue_url": status.continue_url,
    }
    if progress is None:
        return data
    data.update(
        {
            "first_opened_at": progress.first_opened_at,
            "last_visited_at": progress.last_visited_at,
            "completed_at": progress.completed_at,
            "last_section": progress.last_section,
            "sections_read": [
                {"kind": read.kind, "read_at": read.read_at}
                for read in progress.sections_read.all()
            ],
            "quiz": {
                "best_score": progress.quiz_best_score,
                "best_at": progress.quiz_best_at,
                "passed_at": progress.quiz_passed_at,
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
