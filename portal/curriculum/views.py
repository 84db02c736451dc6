from __future__ import annotations

from itertools import groupby

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from portal.curriculum.article import anonymous_article, learner_article
from portal.curriculum.body import LessonBody, lesson_body, question_groups
from portal.curriculum.models import Lesson, Level
from portal.curriculum.standing import record_and_evaluate_visit, with_responses
from portal.quizzes.models import Quiz


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
    lesson = get_object_or_404(
        Lesson.objects.current().select_related("quiz"), slug=slug
    )
    body = lesson_body(lesson)
    quiz = _current_quiz(lesson)

    if user.is_authenticated:
        article = _learner_article(request, user, lesson, body, quiz)  # type: ignore[arg-type]
    else:
        article = anonymous_article(request, lesson, body, quiz)
    return render(
        request,
        "curriculum/lesson_detail.html",
        {"lesson": lesson, "article": article},
    )


def _learner_article(
    request: HttpRequest,
    user: User,
    lesson: Lesson,
    body: LessonBody,
    quiz: Quiz | None,
) -> SafeString:
    status = record_and_evaluate_visit(user, lesson, body)
    questions = question_groups(with_responses(body, lesson, user))
    return learner_article(request, user, lesson, body, quiz, status, questions)


def _current_quiz(lesson: Lesson) -> Quiz | None:
    quiz: Quiz | None = getattr(lesson, "quiz", None)
    return quiz if quiz is not None and not quiz.is_retired else None
