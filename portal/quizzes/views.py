from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)
from django_htmx.middleware import HtmxDetails

from portal.curriculum.models import DiscussionQuestion
from portal.quizzes import attempts as services
from portal.quizzes import discussion
from portal.quizzes.attempt_list import attempt_lines
from portal.quizzes.forms import read_response
from portal.quizzes.models import Answer, Attempt, DiscussionResponse, Quiz
from portal.quizzes.review import (
    question_item,
    quiz_settings,
    review_allows,
    review_item,
)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _learner(request: HttpRequest) -> User:
    """The signed-in learner; views call it only behind login_required."""
    assert isinstance(request.user, User)
    return request.user


def _quiz(slug: str, quizzes: QuerySet[Quiz] | None = None) -> Quiz:
    return get_object_or_404(
        (quizzes if quizzes is not None else Quiz.objects).select_related("lesson"),
        lesson__slug=slug,
        lesson__is_retired=False,
        is_retired=False,
    )


def _attempt(request: HttpRequest, slug: str, attempt_id: int) -> Attempt:
    """The learner's own attempt; anyone else's answers 404."""
    return get_object_or_404(
        Attempt.objects.select_related("quiz__lesson"),
        pk=attempt_id,
        user=_learner(request),
        quiz__lesson__slug=slug,
    )


def _answers(attempt: Attempt) -> list[Answer]:
    answers = list(
        attempt.answers.select_related("question", "version", "graded_version")
    )
    for answer in answers:
        answer.attempt = attempt
    return answers


def _past_attempts(request: HttpRequest, quiz: Quiz) -> list[Attempt]:
    """The learner's attempts at the quiz, without the option orders they never need."""
    attempts = list(
        Attempt.objects.filter(quiz=quiz, user=_learner(request)).defer("option_order")
    )
    for attempt in attempts:
        attempt.quiz = quiz
    return attempts


@require_safe
@login_required
def quiz_detail(request: HttpRequest, slug: str) -> HttpResponse:
    current = Count("questions", filter=Q(questions__is_retired=False))
    quiz = _quiz(slug, Quiz.objects.annotate(question_count=current))

    attempts = _past_attempts(request, quiz)
    in_progress = next((a for a in attempts if not a.is_submitted), None)
    used = sum(1 for attempt in attempts if attempt.is_submitted)
    result = services.quiz_result(attempts, quiz.grading)
    closed = quiz.is_closed()

    return render(
        request,
        "quizzes/quiz_detail.html",
        {
            "quiz": quiz,
            "lesson": quiz.lesson,
            "question_count": quiz.question_count,  # type: ignore[attr-defined]
            "settings": quiz_settings(quiz),
            "past_attempts": attempt_lines(attempts, slug),
            "in_progress": in_progress,
            "closed": closed,
            "can_start": not closed
            and (
                in_progress is not None
                or quiz.max_attempts is None
                or used < quiz.max_attempts
            ),
            "result": result,
            "show_result": result is not None and "points" in review_allows(result),
        },
    )


@require_POST
@login_required
def start_attempt(request: HttpRequest, slug: str) -> HttpResponse:
    quiz = _quiz(slug)

    try:
        attempt = services.start_attempt(_learner(request), quiz)
    except (services.AttemptLimitReached, services.QuizClosed) as error:
        messages.error(request, str(error))
        return redirect("quizzes:quiz", slug)

    return redirect("quizzes:attempt", slug, attempt.pk)


def _page(request: HttpRequest, count: int) -> int:
    raw = request.GET.get("page", "1")
    page = int(raw) if raw.isdigit() else 1
    return min(max(page, 1), max(count, 1))


def _closed(request: HttpRequest, attempt: Attempt) -> HttpResponse | None:
    """Send a submitted or overdue attempt to its review page."""
    if not attempt.is_submitted and services.is_overdue(attempt):
        services.submit_attempt(attempt)
        messages.info(
            request,
            "The quiz has closed: your attempt was submitted with the answers you saved."
            if attempt.quiz.is_closed()
            else "Time is up: your attempt was submitted with the answers you saved.",
        )
        attempt.state = Attempt.State.SUBMITTED
    if attempt.is_submitted:
        return redirect("quizzes:review", attempt.quiz.lesson.slug, attempt.pk)
    return None


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def attempt_detail(request: HttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, slug, attempt_id)
    if (response := _closed(request, attempt)) is not None:
        return response

    answers = _answers(attempt)
    one_per_page = attempt.quiz.one_per_page
    page = _page(request, len(answers)) if one_per_page else 1
    shown = answers[page - 1 : page] if one_per_page else answers

    if request.method == "POST":
        return _save_page(request, attempt, shown, page)

    return render(
        request,
        "quizzes/attempt_detail.html",
        {
            "quiz": attempt.quiz,
            "lesson": attempt.quiz.lesson,
            "attempt": attempt,
            "deadline": services.effective_deadline(attempt),
            "items": [question_item(attempt, answer) for answer in shown],
            "pages": [
                {"number": n, "answered": answer.is_answered}
                for n, answer in enumerate(answers, start=1)
            ],
            "page": page,
            "one_per_page": one_per_page,
            "previous_page": page - 1 if one_per_page and page > 1 else None,
            "next_page": page + 1 if one_per_page and page < len(answers) else None,
        },
    )


def _save_page(
    request: HttpRequest, attempt: Attempt, shown: list[Answer], page: int
) -> HttpResponse:
    """Save every question of the page, then check one or move where the learner asked."""
    responses = {
        answer.question.key: _response(request, attempt, answer) for answer in shown
    }
    check = request.POST.get("check")
    try:
        services.save_answers(attempt, responses)
        if check in responses:
            services.check_answer(attempt, check, responses[check])
    except services.AttemptError as error:
        messages.error(request, str(error))
        return redirect("quizzes:attempt", attempt.quiz.lesson.slug, attempt.pk)

    slug = attempt.quiz.lesson.slug
    if "finish" in request.POST:
        return redirect("quizzes:submit", slug, attempt.pk)
    goto = request.POST.get("goto", "")
    target = reverse("quizzes:attempt", args=[slug, attempt.pk])
    if goto.isdigit():
        return redirect(f"{target}?page={goto}")
    query = f"?page={page}" if attempt.quiz.one_per_page else ""
    anchor = f"#q-{check}" if check else ""
    messages.success(request, "Your answers are saved.")
    return redirect(f"{target}{query}{anchor}")


def _response(request: HttpRequest, attempt: Attempt, answer: Answer) -> Any:
    key = answer.question.key
    return read_response(
        answer.question.kind,
        key,
        answer.version.data,
        attempt.option_order.get(key, []),
        request.POST,
    )


@require_POST
@login_required
def save_answer(
    request: HtmxHttpRequest, slug: str, attempt_id: int, question_key: str
) -> HttpResponse:
    """Save one answer as it is given; htmx gets a status fragment back."""
    attempt = _attempt(request, slug, attempt_id)
    answer = get_object_or_404(
        attempt.answers.select_related("question", "version"),
        question__key=question_key,
    )

    response = _response(request, attempt, answer)
    checking = "check" in request.POST
    error = ""
    try:
        if checking:
            answer = services.check_answer(attempt, question_key, response)
        else:
            services.save_answer(attempt, question_key, response)
    except services.AttemptError as exc:
        error = str(exc)

    if not request.htmx:
        if error:
            messages.error(request, error)
        target = reverse("quizzes:attempt", args=[slug, attempt.pk])
        return redirect(f"{target}#q-{question_key}")
    if checking and not error:
        answer.attempt = attempt
        return render(
            request,
            "quizzes/attempt_detail.html#question",
            {
                "attempt": attempt,
                "quiz": attempt.quiz,
                "item": question_item(attempt, answer),
            },
        )
    return render(
        request,
        "quizzes/attempt_detail.html#saved",
        {"error": error, "key": question_key},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def submit_attempt(request: HttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, slug, attempt_id)

    if request.method == "POST":
        services.submit_attempt(attempt)
        return redirect("quizzes:review", slug, attempt.pk)

    if (response := _closed(request, attempt)) is not None:
        return response
    answers = list(attempt.answers.all())
    return render(
        request,
        "quizzes/attempt_submit.html",
        {
            "quiz": attempt.quiz,
            "lesson": attempt.quiz.lesson,
            "attempt": attempt,
            "answered": sum(1 for answer in answers if answer.is_answered),
            "total": len(answers),
        },
    )


@require_safe
@login_required
def attempt_review(request: HttpRequest, slug: str, attempt_id: int) -> HttpResponse:
    attempt = _attempt(request, slug, attempt_id)
    if not attempt.is_submitted:
        if services.is_overdue(attempt):
            attempt, _ = services.submit_attempt(attempt)
            attempt = _attempt(request, slug, attempt_id)
        else:
            return redirect("quizzes:attempt", slug, attempt.pk)

    allowed = review_allows(attempt)
    items = [review_item(attempt, answer, allowed) for answer in _answers(attempt)]

    return render(
        request,
        "quizzes/attempt_review.html",
        {
            "quiz": attempt.quiz,
            "lesson": attempt.quiz.lesson,
            "attempt": attempt,
            "items": items,
            "allowed": allowed,
            "awaiting": sum(1 for item in items if item.awaiting_grading),
            "past_attempts": attempt_lines(
                _past_attempts(request, attempt.quiz), slug, current=attempt.pk
            ),
        },
    )


def _discussion_question(slug: str, key: str) -> DiscussionQuestion:
    return get_object_or_404(
        DiscussionQuestion.objects.select_related("lesson"),
        lesson__slug=slug,
        lesson__is_retired=False,
        key=key,
        is_retired=False,
    )


def _discussion_item(
    request: HtmxHttpRequest,
    question: DiscussionQuestion,
    response: DiscussionResponse | None,
    error: str = "",
    done: str = "",
) -> HttpResponse:
    """Answer htmx with the question's item; send a plain form back to the lesson."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif done:
            messages.success(request, done)
        return redirect(f"{question.lesson.get_absolute_url()}#q-{question.key}")

    setattr(question, discussion.MINE, response)
    return render(
        request,
        "quizzes/_discussion.html#discussion-item",
        {
            "question": question,
            "lesson": question.lesson,
            "error": error,
            "draft": request.POST.get("text", "") if response is None else "",
            "self_assessments": DiscussionResponse.SelfAssessment.choices,
            "done": done,
        },
    )


@require_POST
@login_required
def submit_discussion_response(
    request: HtmxHttpRequest, slug: str, key: str
) -> HttpResponse:
    """Save a learner's answer to a discussion question; the model answer follows."""
    question = _discussion_question(slug, key)
    learner = _learner(request)

    try:
        response = discussion.submit_response(
            learner, question, request.POST.get("text", "")
        )
    except discussion.DiscussionError as error:
        existing = DiscussionResponse.objects.filter(
            user=learner, question=question
        ).first()
        return _discussion_item(request, question, existing, error=str(error))

    return _discussion_item(request, question, response, done="Your answer is saved.")


@require_POST
@login_required
def assess_discussion_response(
    request: HtmxHttpRequest, slug: str, key: str
) -> HttpResponse:
    """Record the learner's rating of their own answer against the model answer."""
    question = _discussion_question(slug, key)
    response = get_object_or_404(
        DiscussionResponse, user=_learner(request), question=question
    )

    try:
        discussion.assess_response(response, request.POST.get("self_assessment", ""))
    except discussion.DiscussionError as error:
        return _discussion_item(request, question, response, error=str(error))

    return _discussion_item(
        request, question, response, done="Your self-assessment is saved."
    )
