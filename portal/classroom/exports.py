"""CSV exports of a cohort's grades and responses.

Spreadsheets run a cell that starts with =, +, - or @ as a formula, so text cells that
start with one of them (or with a tab or carriage return) get a leading apostrophe.
Numbers are written as numbers and left alone.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from portal.classroom.matrix import Matrix, cohort_learners
from portal.classroom.models import Assignment, Cohort, Membership
from portal.quizzes.models import Answer, Attempt, DiscussionResponse
from portal.quizzes.review import learner_answer, right_answer

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response


def _number(value: float | None) -> float | str:
    """Two decimals, rounded half away from zero (66.665 gives 66.67)."""
    if value is None:
        return ""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def grades_csv(cohort: Cohort, matrix: Matrix) -> HttpResponse:
    """One row per learner, one column per assignment: the score, or the state."""
    with timezone.override(cohort.time_zone):
        header = ["Learner", "Username"]
        for assignment in matrix.assignments:
            due = timezone.localtime(assignment.due_at).strftime("%Y-%m-%d %H:%M")
            header.append(f"{assignment.title} (due {due} {cohort.time_zone})")
    header += ["Assignments done", "Late", "Mean score (%)"]

    rows = []
    for row in matrix.rows:
        cells: list[Any] = [row.learner.name, row.learner.username]
        for cell in row.cells:
            cells.append(_number(cell.score) if cell.score is not None else cell.label)
        cells += [row.done, row.late, _number(row.mean_score)]
        rows.append(cells)
    return csv_response(f"{cohort.code}-grades.csv", header, rows)


RESPONSE_HEADER = [
    "Learner",
    "Username",
    "Activity",
    "Attempt",
    "Question",
    "Question text",
    "Answer",
    "Right answer",
    "Points",
    "Out of",
    "Answered at",
]


def responses_csv(cohort: Cohort) -> HttpResponse:
    """One row per learner and question of the cohort's assigned quizzes and lessons."""
    names = {learner.id: learner for learner in cohort_learners(cohort)}
    learners = Membership.objects.filter(
        cohort=cohort, role=Membership.Role.LEARNER
    ).values("user_id")
    assigned = Assignment.objects.filter(cohort=cohort)
    answers = (
        Answer.objects.filter(
            attempt__user__in=learners,
            attempt__state=Attempt.State.SUBMITTED,
            attempt__quiz__in=assigned.values("quiz_id"),
        )
        .select_related(
            "attempt__quiz",
            "question",
            "version",
            "graded_version",
        )
        .order_by("attempt__user__username", "attempt__quiz_id", "attempt__number")
    )
    lessons = (
        set(assigned.values_list("lesson_id", flat=True))
        | set(assigned.values_list("quiz__lesson_id", flat=True))
        | set(assigned.values_list("scenario__lesson_id", flat=True))
    ) - {None}
    discussions = (
        DiscussionResponse.objects.filter(
            user__in=learners, question__lesson__in=lessons
        )
        .select_related("question__lesson")
        .order_by("user__username", "question__position")
    )

    rows: list[list[Any]] = []
    with timezone.override(cohort.time_zone):
        for answer in answers:
            rows.append(_answer_row(names, answer))
        for response in discussions:
            learner = names[response.user_id]
            rows.append(
                [
                    learner.name,
                    learner.username,
                    f"Discussion: {response.question.lesson.title}",
                    "",
                    response.question.key,
                    response.question.text,
                    response.text,
                    response.question.model_answer,
                    _number(None if response.grade is None else 100 * response.grade),
                    100,
                    _stamp(response.submitted_at),
                ]
            )
    return csv_response(f"{cohort.code}-responses.csv", RESPONSE_HEADER, rows)


def _stamp(moment: Any) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %Z")


def _answer_row(names: dict[int, Any], answer: Answer) -> list[Any]:
    attempt = answer.attempt
    learner = names[attempt.user_id]
    # An instructor's mark of an open answer is on the answer (apply_manual_mark).
    points = answer.points
    key_version = answer.graded_version or answer.version
    return [
        learner.name,
        learner.username,
        f"Quiz: {attempt.quiz.title}",
        attempt.number,
        answer.question.key,
        answer.version.text,
        "\n".join(learner_answer(answer)),
        "\n".join(right_answer(answer.question.kind, key_version.data)),
        _number(points),
        answer.question.points,
        _stamp(answer.saved_at or attempt.submitted_at),
    ]
