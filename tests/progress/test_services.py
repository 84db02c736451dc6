from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import time_machine
from django.contrib.auth.models import User

from portal.curriculum.models import Lesson
from portal.progress.models import Activity, LessonProgress, ScenarioResult, SectionRead
from portal.progress.services import (
    VISIT_INTERVAL,
    mark_sections_read,
    record_quiz_result,
    record_scenario_result,
    record_visit,
    visited_elsewhere_since,
)
from portal.progress.summary import learner_overview
from tests.progress.lessons import make_lesson

MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=timezone.utc)
TUESDAY = datetime(2025, 3, 4, 9, 0, tzinfo=timezone.utc)


def status_of(user: User, lesson: Lesson):  # type: ignore[no-untyped-def]
    return next(s for s in learner_overview(user).lessons if s.lesson == lesson)


def test_the_first_visit_starts_the_lesson_and_later_ones_only_move_last_visited(
    learner: User,
) -> None:
    lesson = make_lesson(1)

    record_visit(learner, lesson, at=MONDAY)
    record_visit(learner, lesson, at=TUESDAY)

    progress = LessonProgress.objects.get(user=learner, lesson=lesson)
    assert progress.first_opened_at == MONDAY
    assert progress.last_visited_at == TUESDAY
    assert list(Activity.objects.values_list("kind", flat=True)) == ["started"]


def visit(user: User, lesson: Lesson) -> LessonProgress:
    """A visit as the lesson page records it: with the row read and flagged first."""
    row = (
        LessonProgress.objects.filter(user=user, lesson=lesson)
        .annotate(elsewhere=visited_elsewhere_since(user))
        .first()
    )
    return record_visit(
        user, lesson, progress=row, elsewhere_since=getattr(row, "elsewhere", True)
    )


def test_a_visit_soon_after_the_last_one_is_not_written_again(learner: User) -> None:
    lesson = make_lesson(1)
    soon = MONDAY + VISIT_INTERVAL - timedelta(seconds=1)

    with time_machine.travel(MONDAY, tick=False):
        visit(learner, lesson)
    with time_machine.travel(soon, tick=False):
        visit(learner, lesson)

    progress = LessonProgress.objects.get(user=learner, lesson=lesson)
    assert progress.first_opened_at == MONDAY
    assert progress.last_visited_at == MONDAY

    with time_machine.travel(MONDAY + VISIT_INTERVAL, tick=False):
        visit(learner, lesson)

    progress.refresh_from_db()
    assert progress.first_opened_at == MONDAY
    assert progress.last_visited_at == MONDAY + VISIT_INTERVAL
    assert list(Activity.objects.values_list("kind", flat=True)) == ["started"]


def test_a_visit_is_written_when_another_lesson_was_visited_since(
    learner: User,
) -> None:
    first, second = make_lesson(1), make_lesson(2)

    for minute, lesson in [(0, first), (1, second), (2, first)]:
        with time_machine.travel(MONDAY + timedelta(minutes=minute), tick=False):
            visit(learner, lesson)

    visits = dict(LessonProgress.objects.values_list("lesson", "last_visited_at"))
    assert visits == {
        first.pk: MONDAY + timedelta(minutes=2),
        second.pk: MONDAY + timedelta(minutes=1),
    }


def test_other_learners_visits_do_not_count_as_visits_elsewhere(
    learner: User, other_learner: User
) -> None:
    first, second = make_lesson(1), make_lesson(2)

    with time_machine.travel(MONDAY, tick=False):
        visit(learner, first)
    with time_machine.travel(MONDAY + timedelta(minutes=1), tick=False):
        visit(other_learner, second)
    with time_machine.travel(MONDAY + timedelta(minutes=2), tick=False):
        visit(learner, first)

    progress = LessonProgress.objects.get(user=learner, lesson=first)
    assert progress.last_visited_at == MONDAY


def test_marking_a_section_twice_changes_nothing(learner: User) -> None:
    lesson = make_lesson(1)
    mark_sections_read(learner, lesson, ["simple"], at=MONDAY)

    new = mark_sections_read(learner, lesson, ["simple"], at=TUESDAY)

    assert new == []
    assert SectionRead.objects.get().read_at == MONDAY
    assert Activity.objects.filter(kind=Activity.Kind.SECTION_READ).count() == 1


def test_reading_every_section_completes_a_lesson_without_quiz(learner: User) -> None:
    lesson = make_lesson(1)
    mark_sections_read(learner, lesson, ["simple"], at=MONDAY)

    mark_sections_read(learner, lesson, ["simple", "technical"], at=TUESDAY)

    progress = LessonProgress.objects.get()
    assert progress.completed_at == TUESDAY
    assert progress.last_section == "technical"
    assert status_of(learner, lesson).state == "complete"
    kinds = list(Activity.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["started", "section_read", "read_to_end", "completed"]


def test_a_lesson_that_needs_a_quiz_pass_is_not_complete_on_reading(
    learner: User,
) -> None:
    lesson = make_lesson(1, completion={"sections": "all", "quiz": "pass"})

    mark_sections_read(learner, lesson, ["simple", "technical"], at=MONDAY)

    status = status_of(learner, lesson)
    assert status.state == "in-progress"
    assert status.percent == 66
    assert status.missing == ["Pass the lesson's quiz"]


def test_the_best_quiz_score_is_kept_and_a_pass_completes_the_lesson(
    learner: User,
) -> None:
    lesson = make_lesson(1, completion={"sections": "all", "quiz": "pass"})
    mark_sections_read(learner, lesson, ["simple", "technical"], at=MONDAY)
    record_quiz_result(learner, lesson, score=90, passed=True, at=MONDAY)

    record_quiz_result(learner, lesson, score=40, passed=False, at=TUESDAY)
    record_quiz_result(learner, lesson, score=90, passed=True, at=TUESDAY)

    progress = LessonProgress.objects.get()
    assert (progress.quiz_best_score, progress.quiz_best_at) == (90, MONDAY)
    assert progress.quiz_passed_at == MONDAY
    assert progress.completed_at == MONDAY
    # Every submitted attempt is logged, not only those that improve the best score.
    assert Activity.objects.filter(kind=Activity.Kind.QUIZ).count() == 3


def test_scenario_results_keep_the_best_score_per_scenario(learner: User) -> None:
    lesson = make_lesson(
        1, kinds=["simple"], completion={"sections": "none", "scenarios": ["checkout"]}
    )

    record_scenario_result(learner, lesson, "checkout", score=50, at=MONDAY)
    record_scenario_result(learner, lesson, "checkout", score=80, at=TUESDAY)
    record_scenario_result(learner, lesson, "checkout", score=70, at=TUESDAY)

    result = ScenarioResult.objects.get()
    assert (result.best_score, result.best_at) == (80, TUESDAY)
    assert result.first_finished_at == MONDAY
    assert LessonProgress.objects.get().completed_at == MONDAY
    assert status_of(learner, lesson).state == "complete"


def test_a_missing_scenario_is_named_in_what_is_still_to_do(learner: User) -> None:
    lesson = make_lesson(
        1, kinds=["simple"], completion={"sections": "all", "scenarios": ["checkout"]}
    )

    mark_sections_read(learner, lesson, ["simple"], at=MONDAY)

    status = status_of(learner, lesson)
    assert status.percent == 50
    assert status.missing == ["Finish the sandbox scenario “checkout”"]


def test_progress_of_one_learner_is_not_anyone_elses(
    learner: User, other_learner: User
) -> None:
    lesson = make_lesson(1)

    mark_sections_read(learner, lesson, ["simple"], at=MONDAY)

    assert status_of(other_learner, lesson).state == "not-started"
    assert status_of(learner, lesson).read == {"simple"}


@pytest.mark.parametrize(
    ("last", "read", "anchor"),
    [
        ("", set(), "section-simple"),
        ("simple", {"simple"}, "section-technical"),
        ("technical", {"technical"}, "section-simple"),
        ("technical", {"simple", "technical"}, "lesson-end"),
    ],
)
def test_continue_points_at_the_next_unread_section(
    learner: User, last: str, read: set[str], anchor: str
) -> None:
    lesson = make_lesson(1)
    mark_sections_read(learner, lesson, sorted(read, key=["simple", "technical"].index))
    LessonProgress.objects.filter(user=learner).update(last_section=last)
    record_visit(learner, lesson)

    status = status_of(learner, lesson)

    assert status.continue_url == f"/lessons/lesson-1/#{anchor}"
