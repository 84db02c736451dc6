from __future__ import annotations

from itertools import groupby

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from portal.curriculum.models import DiscussionQuestion, Lesson, Level, Section
from portal.progress.services import record_visit
from portal.progress.summary import lesson_status
from portal.quizzes.discussion import with_responses_of
from portal.quizzes.models import DiscussionResponse, Quiz


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
    lesson = get_object_or_404(
        Lesson.objects.current()
        .select_related("quiz")
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.filter(is_retired=False)),
            Prefetch(
                "discussion_questions",
                queryset=with_responses_of(
                    DiscussionQuestion.objects.filter(is_retired=False), request.user
                ),
            ),
        ),
        slug=slug,
    )
    question_groups = [
        {"level": level, "title": items[0].group_title, "questions": items}
        for level, group in groupby(
            lesson.discussion_questions.all(), key=lambda question: question.level
        )
        if (items := list(group))
    ]
    sections = list(lesson.sections.all())
    status = None
    if request.user.is_authenticated:
        progress = record_visit(request.user, lesson)  # type: ignore[arg-type]
        status = lesson_status(progress, sections)
    return render(
        request,
        "curriculum/lesson_detail.html",
        {
            "lesson": lesson,
            "sections": sections,
            "question_groups": question_groups,
            "status": status,
            "quiz": _current_quiz(lesson),
            "self_assessments": DiscussionResponse.SelfAssessment.choices,
        },
    )


def _current_quiz(lesson: Lesson) -> Quiz | None:
    quiz: Quiz | None = getattr(lesson, "quiz", None)
    return quiz if quiz is not None and not quiz.is_retired else None
