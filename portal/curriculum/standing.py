"""A learner's standing in a lesson as its page shows it: visit, progress and answers.

A fixed number of queries, however much the learner has done: the progress row, the
sections read with the scenarios finished, and the answers to the lesson's questions.
"""

from __future__ import annotations

import copy

from django.contrib.auth.models import User
from django.db.models import F, Value

from portal.curriculum.body import LessonBody
from portal.curriculum.models import DiscussionQuestion, Lesson
from portal.progress.completion import LessonStatus, evaluate, rule_of
from portal.progress.models import LessonProgress, ScenarioResult, SectionRead
from portal.progress.services import record_visit, visited_elsewhere_since
from portal.quizzes.discussion import MINE
from portal.quizzes.models import DiscussionResponse

# How `_read_and_finished` tells its two kinds of rows apart.
_READ = "read"
_FINISHED = "finished"


def record_and_evaluate_visit(
    user: User, lesson: Lesson, body: LessonBody
) -> LessonStatus:
    """Record the visit and evaluate the learner's standing in the lesson."""
    # One row at most: a learner has one progress row per lesson.
    rows = LessonProgress.objects.filter(user=user, lesson=lesson).annotate(
        elsewhere_since=visited_elsewhere_since(user)
    )
    before = next(iter(rows), None)
    progress = record_visit(
        user,
        lesson,
        progress=before,
        elsewhere_since=getattr(before, "elsewhere_since", True),
    )
    progress.lesson = lesson
    sections = body.current_sections
    if before is None:
        # A row created just now has nothing read or finished yet.
        return evaluate(lesson, sections, progress)

    current = {section.kind for section in sections}
    read, finished = _read_and_finished(lesson, progress)
    return evaluate(
        lesson,
        sections,
        progress,
        [kind for kind in read if kind in current],
        # Retired scenarios of the lesson still count, others' never.
        finished=[slug for slug in finished if slug in body.scenario_slugs],
    )


def _read_and_finished(
    lesson: Lesson, progress: LessonProgress
) -> tuple[list[str], list[str]]:
    """The kinds of the sections read and the slugs of the scenarios finished.

    One query. Only the completion rule asks about scenarios, so a rule without any
    spares that half: the visit just recorded makes the lesson started either way.
    """
    rows = (
        SectionRead.objects.filter(progress=progress)
        .order_by()
        .values_list(Value(_READ), "kind")
    )
    if rule_of(lesson)["scenarios"]:
        finished = (
            ScenarioResult.objects.filter(progress=progress)
            .order_by()
            .values_list(Value(_FINISHED), "scenario_slug")
        )
        rows = rows.union(finished, all=True)
    read: list[str] = []
    done: list[str] = []
    for what, key in rows:
        (read if what == _READ else done).append(key)
    return read, done


def with_responses(
    body: LessonBody, lesson: Lesson, user: User
) -> list[DiscussionQuestion]:
    """The body's questions; those the learner answered as copies with their response.

    The others are the body's own, shared, with the answer form rendered ahead.
    """
    if not body.questions:
        return []
    responses: dict[str, DiscussionResponse] = {
        response.question_key: response  # type: ignore[attr-defined]
        for response in DiscussionResponse.objects.filter(
            user=user, question__lesson=lesson
        ).annotate(question_key=F("question__key"))
    }
    questions = []
    for question in body.questions:
        response = responses.get(question.key)
        if response is not None:
            question = copy.copy(question)
            question.lesson = lesson
            question.blank_form = None  # type: ignore[attr-defined]
            setattr(question, MINE, response)
        questions.append(question)
    return questions
