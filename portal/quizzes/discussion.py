"""Open responses to a lesson's discussion questions: writing, self-assessing, grading.

A learner writes one response per question. Only once it is submitted does the page
show the question's model answer, so the text can no longer change: otherwise the model
answer could be copied into it. The self-assessment against the model answer may change.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import FilteredRelation, Q, QuerySet
from django.utils import timezone

from portal.curriculum.models import DiscussionQuestion
from portal.quizzes.forms import MAX_OPEN_TEXT
from portal.quizzes.models import DiscussionResponse

logger = logging.getLogger(__name__)

# The attribute each question gets from `with_responses_of`: the user's response or None.
MINE = "my_response"


class DiscussionError(Exception):
    """A request the response's state does not allow; the message is shown to the learner."""


def with_responses_of(
    questions: QuerySet[DiscussionQuestion], user: User | AnonymousUser
) -> QuerySet[DiscussionQuestion]:
    """Join each question to the user's own response, in the same query.

    The response is read through a filtered join rather than a prefetch, so the lesson
    page costs the same number of queries for a reader as for a learner with answers.
    """
    if not user.is_authenticated:
        return questions
    return questions.annotate(
        **{MINE: FilteredRelation("responses", condition=Q(responses__user=user))}
    ).select_related(MINE)


def response_of(question: DiscussionQuestion) -> DiscussionResponse | None:
    """The response `with_responses_of` joined to the question, if any."""
    response: DiscussionResponse | None = getattr(question, MINE, None)
    return response


def submit_response(
    user: User, question: DiscussionQuestion, text: str
) -> DiscussionResponse:
    """Save the learner's answer to a question; refused once one was submitted."""
    text = text.strip()
    if not text:
        raise DiscussionError("Write an answer before submitting it.")
    if "\x00" in text:
        # PostgreSQL cannot store it, and no one types it on purpose.
        raise DiscussionError("Answers cannot contain null characters.")
    if len(text) > MAX_OPEN_TEXT:
        raise DiscussionError(
            f"Answers are limited to {MAX_OPEN_TEXT:,} characters; "
            f"this one has {len(text):,}."
        )

    now = timezone.now()
    try:
        with transaction.atomic():
            response = DiscussionResponse.objects.create(
                user=user,
                question=question,
                text=text,
                submitted_at=now,
                updated_at=now,
            )
    except IntegrityError:
        # A double click or a second tab: the first answer stands.
        raise DiscussionError(
            "You have already answered this question; your answer can no longer change."
        ) from None
    logger.debug("Discussion response %s submitted", response.pk)
    return response


def assess_response(response: DiscussionResponse, assessment: str) -> None:
    """Record how the learner rates their answer against the model answer."""
    if assessment not in DiscussionResponse.SelfAssessment.values:
        raise DiscussionError("Choose how well your answer covered the model answer.")
    response.self_assessment = assessment
    response.updated_at = timezone.now()
    response.save(update_fields=["self_assessment", "updated_at"])


def grade_discussion_response(
    response: DiscussionResponse, grader: User, grade: float, feedback: str
) -> DiscussionResponse:
    """Record an instructor's grade (a fraction from 0 to 1) and feedback on a response.

    Grading again replaces the earlier grade. Who may grade whose responses is for the
    caller to decide.
    """
    if not 0.0 <= grade <= 1.0:
        raise ValueError(f"A grade is a fraction from 0 to 1, not {grade}.")
    response.grade = grade
    response.feedback = feedback.strip()
    response.graded_by = grader
    response.graded_at = timezone.now()
    response.save(update_fields=["grade", "feedback", "graded_by", "graded_at"])
    logger.info(
        "Discussion response %s graded %s by user %s", response.pk, grade, grader.pk
    )
    return response
