from __future__ import annotations

from itertools import groupby

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, QuerySet, Value
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from portal.curriculum.models import Lesson, Level, Section
from portal.progress.completion import evaluate
from portal.progress.models import LessonProgress, ScenarioResult
from portal.progress.services import record_visit
from portal.progress.summary import (
    progress_of,
    read_kinds,
    with_progress_of,
    with_read_flags,
)
from portal.quizzes.discussion import with_responses_of
from portal.quizzes.models import DiscussionResponse, Quiz
from portal.sandbox.models import Scenario


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    lessons = list(Lesson.objects.current())
    labels = dict(Level.choices)
    order = list(labels)
    lessons.sort(key=lambda lesson: (order.index(lesson.level), lesson.position))
    levels = [
        {"key": level, "title": labels[level], "lessons": list(items)}
        for level, items in groupby(lessons, key=lambda lesson: lesson.level)
    ]
    return render(request, "curriculum/home.html", {"levels": levels})


@require_safe
def lesson_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    lesson, sections, progress = _lesson_and_sections(slug, user)
    scenarios = list(
        Scenario.objects.filter(lesson=lesson).annotate(
            is_finished=_finished_by(progress)
        )
    )
    questions = with_responses_of(
        lesson.discussion_questions.filter(is_retired=False), user
    )
    question_groups = [
        {"level": level, "title": items[0].group_title, "questions": items}
        for level, group in groupby(questions, key=lambda question: question.level)
        if (items := list(group))
    ]

    status = None
    if user.is_authenticated:
        progress = record_visit(user, lesson, progress=progress)  # type: ignore[arg-type]
        status = evaluate(
            lesson,
            sections,
            progress,
            read_kinds(sections),
            finished=[scenario.slug for scenario in scenarios if scenario.is_finished],
        )
    return render(
        request,
        "curriculum/lesson_detail.html",
        {
            "lesson": lesson,
            "sections": sections,
            "question_groups": question_groups,
            "status": status,
            "quiz": _current_quiz(lesson),
            "scenarios": [item for item in scenarios if not item.is_retired],
            "self_assessments": DiscussionResponse.SelfAssessment.choices,
        },
    )


def _lesson_and_sections(
    slug: str, user: User | AnonymousUser
) -> tuple[Lesson, list[Section], LessonProgress | None]:
    """The current lesson, its current sections and the learner's progress row.

    Every section row carries its lesson, quiz and progress row, so a lesson with
    sections costs one query; one without them (or an unknown slug) costs another.
    """
    sections = Section.objects.filter(
        is_retired=False, lesson__slug=slug, lesson__is_retired=False
    ).select_related("lesson__quiz")
    lessons: QuerySet[Lesson] = Lesson.objects.current().select_related("quiz")
    if user.is_authenticated:
        sections = with_read_flags(with_progress_of(sections, user, "lesson"), user)
        lessons = with_progress_of(lessons, user)

    rows = list(sections)
    if not rows:
        lesson = get_object_or_404(lessons, slug=slug)
        return lesson, [], progress_of(lesson)
    lesson = rows[0].lesson
    for section in rows:
        section.lesson = lesson
    return lesson, rows, progress_of(rows[0])


def _finished_by(progress: LessonProgress | None) -> Exists | Value:
    """Whether the learner has finished the scenario; retired ones still count."""
    if progress is None:
        return Value(False)
    results = ScenarioResult.objects.filter(
        progress=progress, scenario_slug=OuterRef("slug")
    )
    return Exists(results)


def _current_quiz(lesson: Lesson) -> Quiz | None:
    quiz: Quiz | None = getattr(lesson, "quiz", None)
    return quiz if quiz is not None and not quiz.is_retired else None
