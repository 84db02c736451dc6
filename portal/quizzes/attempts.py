"""Starting, answering, submitting and regrading attempts, each in a transaction.

Submission is idempotent and safe under races: the attempt row is locked, and the final
UPDATE only matches an attempt that is still unsubmitted, so a double click, a retried
request or two tabs grade an attempt exactly once. The server owns the clock: answers
after the deadline are refused and an overdue attempt is graded on what was saved. An
attempt's deadline is the earlier of its time limit and the quiz's close date; overdue
attempts are graded when their learner next opens them, or by `close_overdue`.
"""

from __future__ import annotations

import logging
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from portal.classroom.models import ResponseGrade
from portal.classroom.services import extra_attempts_for
from portal.progress.services import record_quiz_result
from portal.quizzes import grading
from portal.quizzes.models import Answer, Attempt, Question, QuestionVersion, Quiz

logger = logging.getLogger(__name__)


class AttemptError(Exception):
    """A request the attempt's state does not allow; the message is shown to the learner."""


class AttemptLimitReached(AttemptError):
    pass


class AttemptClosed(AttemptError):
    pass


class TimeUp(AttemptError):
    pass


class QuizClosed(AttemptError):
    pass


class AnswerLocked(AttemptError):
    pass


@dataclass(frozen=True)
class ScoreChange:
    attempt: Attempt
    old_score: float | None
    new_score: float


def grade_response(
    kind: str, data: dict[str, Any], response: Any
) -> grading.Mark | None:
    """Grade a response against a version's answer data; None for ungraded kinds."""
    if kind in ("single", "multiple"):
        grade = grading.grade_single if kind == "single" else grading.grade_multiple
        return grade(data["options"], response)
    if kind == "truefalse":
        return grading.grade_true_false(
            data["answer"],
            response,
            data.get("feedback_true", ""),
            data.get("feedback_false", ""),
        )
    if kind == "ordering":
        right = [item["key"] for item in data["items"]]
        return grading.grade_ordering(right, ordering_list(response))
    if kind == "matching":
        pairs = {pair["left"]: pair["right"] for pair in data["pairs"]}
        return grading.grade_matching(pairs, response)
    if kind == "numeric":
        return grading.grade_numeric(_numeric_answers(data["answers"]), response)
    if kind == "short":
        return grading.grade_short_text(data["accepted"], response)
    return None


def _numeric_answers(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop the unused half of each answer: grade_numeric reads a range when `min` is set."""
    result = []
    for answer in answers:
        marks = {"fraction": answer["fraction"], "feedback": answer.get("feedback", "")}
        if answer.get("min") is not None:
            result.append({"min": answer["min"], "max": answer["max"], **marks})
        else:
            result.append(
                {"value": answer["value"], "tolerance": answer["tolerance"], **marks}
            )
    return result


def ordering_list(response: Any) -> list[str] | None:
    """Turn an ordering response, {item key: position}, into the keys in that order.

    Positions that are missing or given twice leave no valid order, which earns 0.
    """
    if not isinstance(response, dict):
        return None
    positions = list(response.values())
    if len(set(positions)) != len(positions):
        return None
    return [key for key, _ in sorted(response.items(), key=lambda item: item[1])]


def completed_attempts(quiz: Quiz, user: User) -> int:
    return Attempt.objects.filter(
        quiz=quiz, user=user, state=Attempt.State.SUBMITTED
    ).count()


def start_attempt(user: User, quiz: Quiz) -> Attempt:
    """Resume the learner's attempt in progress, or start a new one if the limit allows."""
    current = _attempt_in_progress(user, quiz)
    if current is not None:
        return current
    try:
        with transaction.atomic():
            return _create_attempt(user, quiz)
    except IntegrityError:
        # Another tab started one between the check and the insert: resume that one.
        current = _attempt_in_progress(user, quiz)
        if current is None:
            raise
        return current


def _attempt_in_progress(user: User, quiz: Quiz) -> Attempt | None:
    attempt = Attempt.objects.filter(
        user=user, quiz=quiz, state=Attempt.State.IN_PROGRESS
    ).first()
    if attempt is not None and is_overdue(attempt):
        submit_attempt(attempt)
        return None
    return attempt


def _create_attempt(user: User, quiz: Quiz) -> Attempt:
    done = Attempt.objects.filter(quiz=quiz, user=user).aggregate(last=Max("number"))[
        "last"
    ]
    if quiz.is_closed():
        raise QuizClosed("This quiz is closed; no new attempts can start.")
    if quiz.max_attempts is not None:
        allowed = quiz.max_attempts + extra_attempts_for(user, quiz)
        if completed_attempts(quiz, user) >= allowed:
            raise AttemptLimitReached(
                f"You have used all {allowed} attempts at this quiz."
            )

    versions = list(
        QuestionVersion.objects.filter(
            question__quiz=quiz,
            question__is_retired=False,
            number=F("question__version"),
        )
        .select_related("question")
        .order_by("question__position", "question__pk")
    )
    now = timezone.now()
    rng = random.Random(secrets.randbits(64))
    attempt = Attempt.objects.create(
        user=user,
        quiz=quiz,
        number=(done or 0) + 1,
        started_at=now,
        deadline=(
            now + timedelta(minutes=quiz.time_limit_minutes)
            if quiz.time_limit_minutes
            else None
        ),
        option_order={
            version.question.key: _shuffled(version, quiz.shuffle_options, rng)
            for version in versions
        },
    )
    Answer.objects.bulk_create(
        Answer(
            attempt=attempt,
            question=version.question,
            version=version,
            position=position,
        )
        for position, version in enumerate(versions)
    )
    logger.info("Attempt %s started on quiz %s", attempt.pk, quiz.pk)
    return attempt


def _shuffled(version: QuestionVersion, shuffle: bool, rng: random.Random) -> list[str]:
    """Draw the order a question's choices are shown in for one attempt.

    Ordering items and match choices are always shuffled, since their author order is the
    answer; an ordering question is never shown already solved.
    """
    data = version.data
    kind = version.question.kind
    if kind in ("single", "multiple"):
        keys = [option["key"] for option in data["options"]]
        if shuffle:
            rng.shuffle(keys)
        return keys
    if kind == "ordering":
        keys = [item["key"] for item in data["items"]]
        right = list(keys)
        while keys == right and len(set(keys)) > 1:
            rng.shuffle(keys)
        return keys
    if kind == "matching":
        choices = list(
            dict.fromkeys(
                [pair["right"] for pair in data["pairs"]]
                + list(data.get("distractors", []))
            )
        )
        rng.shuffle(choices)
        return choices
    return []


def effective_deadline(attempt: Attempt) -> datetime | None:
    """The moment answers stop counting: the time limit or the quiz closing, if earlier."""
    moments = [
        moment
        for moment in (attempt.deadline, attempt.quiz.closes_at)
        if moment is not None
    ]
    return min(moments, default=None)


def is_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    deadline = effective_deadline(attempt)
    return deadline is not None and (now or timezone.now()) >= deadline


def _locked_open_attempt(attempt: Attempt) -> Attempt:
    locked = (
        Attempt.objects.select_for_update(of=("self",))
        .select_related("quiz")
        .get(pk=attempt.pk)
    )
    if locked.state != Attempt.State.IN_PROGRESS:
        raise AttemptClosed(
            "This attempt has been submitted; answers can no longer change."
        )
    if locked.quiz.is_closed():
        raise QuizClosed("The quiz has closed; this answer was not saved.")
    if is_overdue(locked):
        raise TimeUp("The time limit has passed; this answer was not saved.")
    return locked


def save_answers(attempt: Attempt, responses: dict[str, Any]) -> list[Answer]:
    """Store responses by question key; refused after submission or the deadline.

    Answers already checked in an immediate-feedback quiz are locked and left as they are.
    """
    with transaction.atomic():
        _locked_open_attempt(attempt)
        answers = list(
            Answer.objects.select_for_update()
            .select_related("question")
            .filter(attempt=attempt, question__key__in=list(responses))
        )
        now = timezone.now()
        open_answers = [answer for answer in answers if answer.checked_at is None]
        for answer in open_answers:
            answer.response = responses[answer.question.key]
            answer.saved_at = now
        Answer.objects.bulk_update(open_answers, ["response", "saved_at"])
    return answers


def save_answer(attempt: Attempt, question_key: str, response: Any) -> Answer:
    """Store one response; refused once the answer has been checked."""
    answers = save_answers(attempt, {question_key: response})
    if not answers:
        raise AttemptError("This attempt has no such question.")
    if answers[0].checked_at is not None:
        raise AnswerLocked("This answer has been checked and can no longer change.")
    return answers[0]


def check_answer(attempt: Attempt, question_key: str, response: Any) -> Answer:
    """Save, grade and lock one answer of an immediate-feedback quiz."""
    if not attempt.quiz.is_immediate:
        raise AttemptError("This quiz shows feedback after submission only.")
    with transaction.atomic():
        answer = save_answer(attempt, question_key, response)
        answer = Answer.objects.select_related("version", "question").get(pk=answer.pk)
        _grade(answer, answer.version)
        answer.checked_at = answer.saved_at
        answer.save(
            update_fields=[
                "checked_at",
                "fraction",
                "points",
                "feedback",
                "graded_version",
            ]
        )
    return answer


def _grade(answer: Answer, version: QuestionVersion) -> None:
    mark = grade_response(answer.question.kind, version.data, answer.response)
    answer.graded_version = version
    if mark is None:
        answer.fraction = answer.points = None
        answer.feedback = ""
        return
    answer.fraction = mark.fraction
    answer.points = round(mark.fraction * answer.question.points, 4)
    answer.feedback = mark.feedback


def _scores(answers: list[Answer]) -> tuple[float, float]:
    """The attempt's score and maximum over the answers that count.

    Automatically graded questions always count; an open question counts, in both the
    score and the maximum, only once an instructor has marked it.
    """
    counted = [
        answer
        for answer in answers
        if answer.question.is_graded or answer.fraction is not None
    ]
    score = round(sum(answer.points or 0.0 for answer in counted), 4)
    return score, float(sum(answer.question.points for answer in counted))


def submit_attempt(attempt: Attempt) -> tuple[Attempt, bool]:
    """Grade and close the attempt once; return it and whether this call submitted it."""
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("quiz")
            .get(pk=attempt.pk)
        )
        if locked.submitted_at is not None:
            return locked, False

        answers = list(locked.answers.select_related("question", "version"))
        for answer in answers:
            _grade(answer, answer.version)
        score, max_score = _scores(answers)
        now = timezone.now()
        deadline = effective_deadline(locked)
        submitted_at = min(now, deadline) if deadline else now
        updated = Attempt.objects.filter(
            pk=locked.pk, submitted_at__isnull=True
        ).update(
            state=Attempt.State.SUBMITTED,
            submitted_at=submitted_at,
            score=score,
            max_score=max_score,
        )
        if not updated:
            return Attempt.objects.get(pk=locked.pk), False
        Answer.objects.bulk_update(
            answers, ["fraction", "points", "feedback", "graded_version"]
        )
        locked.refresh_from_db()
        record_quiz_result(
            locked.user,
            locked.quiz.lesson,
            locked.percent or 0.0,
            locked.passed,
            at=submitted_at,
        )
    logger.info(
        "Attempt %s submitted: %s of %s", locked.pk, locked.score, locked.max_score
    )
    return locked, True


def close_overdue(now: datetime | None = None, dry_run: bool = False) -> list[Attempt]:
    """Grade every attempt in progress whose time limit has passed or whose quiz closed.

    Learners' own requests grade an overdue attempt as well; this catches the ones
    nobody opens again, so results and progress do not wait for them.
    """
    now = now or timezone.now()
    overdue = list(
        Attempt.objects.filter(state=Attempt.State.IN_PROGRESS)
        .filter(Q(deadline__lte=now) | Q(quiz__closes_at__lte=now))
        .select_related("quiz")
        .order_by("pk")
    )
    if dry_run:
        return overdue
    graded = []
    for attempt in overdue:
        submitted, by_this_call = submit_attempt(attempt)
        if by_this_call:
            graded.append(submitted)
    logger.info("Closed %d overdue attempts", len(graded))
    return graded


def quiz_result(attempts: list[Attempt], method: str) -> Attempt | None:
    """The submitted attempt that counts for the quiz: the highest or the last."""
    submitted = [attempt for attempt in attempts if attempt.is_submitted]
    if not submitted:
        return None
    if method == Quiz.Grading.LAST:
        return max(submitted, key=lambda attempt: attempt.number)
    return max(submitted, key=lambda attempt: (attempt.percent or 0, -attempt.number))


def regrade(quiz: Quiz) -> list[ScoreChange]:
    """Grade every submitted attempt again against each question's current key.

    Instructors' marks on open answers are kept and still count: no key produced them,
    so a new key cannot change them.
    """
    changes: list[ScoreChange] = []
    current = {
        version.question_id: version
        for version in QuestionVersion.objects.filter(
            question__quiz=quiz, number=F("question__version")
        )
    }
    with transaction.atomic():
        attempts = list(
            Attempt.objects.select_for_update()
            .filter(quiz=quiz, state=Attempt.State.SUBMITTED)
            .order_by("pk")
        )
        recorded = _recorded_marks(quiz)
        for attempt in attempts:
            answers = list(attempt.answers.select_related("question"))
            for answer in answers:
                if answer.question.is_graded:
                    _grade(answer, current[answer.question_id])
                else:
                    _keep_manual_mark(answer, recorded.get(answer.pk))
            score, max_score = _scores(answers)
            Answer.objects.bulk_update(
                answers, ["fraction", "points", "feedback", "graded_version"]
            )
            if score != attempt.score or max_score != attempt.max_score:
                changes.append(ScoreChange(attempt, attempt.score, score))
                attempt.score, attempt.max_score = score, max_score
                attempt.save(update_fields=["score", "max_score"])
        # The best result and the pass follow the new scores, up or down.
        from portal.progress.services import recompute_quiz_result

        affected = {change.attempt.user_id for change in changes}
        for learner in User.objects.filter(pk__in=affected).order_by("pk"):
            recompute_quiz_result(learner, quiz.lesson)
    logger.info("Regraded quiz %s: %d scores changed", quiz.pk, len(changes))
    return changes


def _recorded_marks(quiz: Quiz) -> dict[int, ResponseGrade]:
    """The newest instructor grade of each open answer of the quiz that has no mark.

    An answer with a grading record but no mark lost the mark to a regrade that did not
    keep manual marks; the newest record is the mark, so a regrade puts it back.
    """
    grades = ResponseGrade.objects.filter(
        answer__attempt__quiz=quiz,
        answer__attempt__state=Attempt.State.SUBMITTED,
        answer__question__kind=Question.Kind.OPEN,
        answer__fraction__isnull=True,
    ).order_by("answer_id", "-graded_at", "-pk")
    newest: dict[int, ResponseGrade] = {}
    for grade in grades:
        newest.setdefault(grade.answer_id, grade)
    return newest


def _keep_manual_mark(answer: Answer, recorded: ResponseGrade | None) -> None:
    """Leave an open answer's mark as the instructor gave it, in the question's points."""
    maximum = answer.question.points
    if answer.fraction is None and recorded is not None:
        fraction = recorded.points / maximum if maximum else 0.0
        answer.fraction = min(1.0, max(0.0, fraction))
        answer.feedback = recorded.feedback
    if answer.fraction is not None:
        answer.points = round(answer.fraction * maximum, 4)


def apply_manual_mark(answer: Answer, fraction: float, grader: User) -> Attempt:
    """Give an open answer an instructor's mark and recount its submitted attempt.

    How open questions count: an ungraded open question counts neither toward the score
    nor toward the maximum (its attempt's review shows it as awaiting grading); once it
    has a mark it counts in both, like an automatically graded one. The learner's best
    quiz result is updated with the new percentage. Who graded what and when is kept
    by the caller (the classroom's ResponseGrade rows); `grader` is only logged here.
    """
    if not 0.0 <= fraction <= 1.0:
        raise ValueError("A mark is a fraction between 0 and 1.")
    with transaction.atomic():
        attempt = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("quiz__lesson", "user")
            .get(pk=answer.attempt_id)
        )
        if attempt.state != Attempt.State.SUBMITTED:
            raise AttemptError("Only answers of a submitted attempt can be marked.")
        marked = Answer.objects.select_related("question").get(pk=answer.pk)
        marked.fraction = fraction
        marked.points = round(fraction * marked.question.points, 4)
        marked.save(update_fields=["fraction", "points"])
        answers = list(attempt.answers.select_related("question"))
        attempt.score, attempt.max_score = _scores(answers)
        attempt.save(update_fields=["score", "max_score"])
        record_quiz_result(
            attempt.user,
            attempt.quiz.lesson,
            attempt.percent or 0.0,
            attempt.passed,
            at=timezone.now(),
        )
    answer.fraction, answer.points = marked.fraction, marked.points
    logger.info(
        "Answer %s marked %s by %s; attempt %s now %s of %s",
        answer.pk,
        fraction,
        grader.pk,
        attempt.pk,
        attempt.score,
        attempt.max_score,
    )
    return attempt
