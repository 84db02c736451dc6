"""Reading a learner's progress for the lesson page, the dashboard and the data export.

Each function runs a fixed number of queries, however many lessons or activities exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch

from portal.accounts.models import Profile
from portal.accounts.roles import is_instructor
from portal.curriculum.models import Lesson, Section
from portal.progress.completion import LessonStatus, evaluate
from portal.progress.models import Activity, LessonProgress

RECENT_ACTIVITY = 10


def lesson_status(progress: LessonProgress, sections: list[Section]) -> LessonStatus:
    """The status of one lesson whose current sections are already loaded."""
    return evaluate(
        progress.lesson,
        sections,
        progress,
        progress.sections_read.all(),
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
    user: User, activity_limit: int | None = RECENT_ACTIVITY
) -> Overview:
    """Load the learner's standing in every current lesson and their recent activity."""
    profile = Profile.objects.for_user(user)
    lessons = Lesson.objects.current().prefetch_related(
        Prefetch("sections", queryset=Section.objects.filter(is_retired=False))
    )
    progress_rows = {
        progress.lesson_id: progress
        for progress in LessonProgress.objects.filter(
            user=user, lesson__is_retired=False
        ).prefetch_related("sections_read", "scenario_results")
    }
    statuses = []
    for lesson in lessons:
        progress = progress_rows.get(lesson.pk)
        if progress is not None:
            progress.lesson = lesson
        sections = list(lesson.sections.all())
        statuses.append(
            lesson_status(progress, sections)
            if progress is not None
            else anonymous_status(lesson, sections)
        )

    activities = Activity.objects.filter(user=user).select_related("lesson")
    if activity_limit is not None:
        activities = activities[:activity_limit]
    return Overview(profile=profile, lessons=statuses, activities=list(activities))


def export_data(user: User) -> dict[str, Any]:
    """The learner's profile, progress, results and full activity as plain data."""
    overview = learner_overview(user, activity_limit=None)
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
