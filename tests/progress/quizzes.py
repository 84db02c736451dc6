"""A small quiz of true-or-false questions on a lesson, and attempts at it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from portal.curriculum.models import Lesson
from portal.quizzes.attempts import submit_attempt
from portal.quizzes.models import Answer, Attempt, Question, QuestionVersion, Quiz

SHOW_ALL = {
    "after_attempt": ["answer", "correctness", "points"],
    "while_open": ["answer", "correctness", "points"],
}
HIDE_RESULTS = {"after_attempt": ["answer"], "while_open": ["answer"]}


def make_quiz(lesson: Lesson, review: dict[str, Any], questions: int = 2) -> Quiz:
    quiz = Quiz.objects.create(
        lesson=lesson, title=f"Quiz of {lesson.slug}", pass_mark=70, review=review
    )
    for index in range(questions):
        question = Question.objects.create(
            quiz=quiz, key=f"q{index}", kind="truefalse", position=index
        )
        QuestionVersion.objects.create(
            question=question, number=1, text=f"Is {index} true?", data={"answer": True}
        )
    return quiz


def submit(user: User, quiz: Quiz, responses: list[bool]) -> Attempt:
    """Submit an attempt answering the questions in order."""
    number = Attempt.objects.filter(user=user, quiz=quiz).count() + 1
    attempt = Attempt.objects.create(
        user=user, quiz=quiz, number=number, started_at=timezone.now()
    )
    for question, response in zip(quiz.questions.all(), responses, strict=True):
        Answer.objects.create(
            attempt=attempt,
            question=question,
            version=question.versions.get(number=question.version),
            position=question.position,
            response=response,
            saved_at=timezone.now(),
        )
    submitted, _ = submit_attempt(attempt)
    return submitted


def change_key(quiz: Quiz, answer: bool) -> None:
    """Give every question a new version whose right answer is `answer`."""
    for question in quiz.questions.all():
        question.version += 1
        question.save(update_fields=["version"])
        QuestionVersion.objects.create(
            question=question,
            number=question.version,
            text=f"Is {question.key} true?",
            data={"answer": answer},
        )
