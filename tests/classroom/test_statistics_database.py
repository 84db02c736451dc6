"""A quiz's statistics read from the database: a fixed number of queries, and the answers
counted per option across question versions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from portal.classroom.models import Cohort, Membership
from portal.classroom.statistics import quiz_report
from portal.quizzes.models import Answer, Attempt, Question, QuestionVersion
from tests.classroom.builders import make_attempt, make_lesson, make_quiz


def _learners(cohort: Cohort, count: int) -> list[User]:
    learners = []
    for index in range(count):
        user = User.objects.create_user(f"taker{index}")
        Membership.objects.create(cohort=cohort, user=user)
        learners.append(user)
    return learners


def _new_version(question: Question, data: dict[str, object]) -> QuestionVersion:
    version = QuestionVersion.objects.create(
        question=question, number=2, text=f"{question.key} again?", data=data
    )
    Question.objects.filter(pk=question.pk).update(version=2)
    return version


def _answer_with(attempt: Attempt, key: str, version: QuestionVersion, given: object):
    Answer.objects.filter(attempt=attempt, question__key=key).update(
        version=version, response=given
    )


@pytest.mark.parametrize("attempts", [3, 30])
@pytest.mark.parametrize("mode", ["first", "all"])
def test_the_report_takes_the_same_queries_however_many_attempts(
    cohort: Cohort, django_assert_num_queries, attempts: int, mode: str
) -> None:
    quiz = make_quiz(make_lesson(1), ["single", "multiple", "short", "open"])
    for index, learner in enumerate(_learners(cohort, attempts)):
        marks = {"q1": index % 2, "q2": index % 3 / 2, "q3": 1}
        make_attempt(learner, quiz, marks, responses={"q3": "SEV1"})

    # Fingerprint, questions with their versions, counted answers.
    with django_assert_num_queries(3):
        report = quiz_report(cohort, quiz, mode)

    # The open question was never marked, so it is no item yet.
    assert report.summary.count == attempts
    assert [item.key for item in report.items] == ["q1", "q2", "q3"]


def test_options_of_every_version_are_listed_in_the_order_first_answered(
    cohort: Cohort,
) -> None:
    quiz = make_quiz(make_lesson(1), ["single"])
    question = quiz.questions.get()
    options = [
        {"key": "d", "text": "Declare an incident", "fraction": 1.0},
        {"key": "a", "text": "Acknowledge the page", "fraction": 0.0},
    ]
    second = _new_version(question, {"options": options})
    first_taker, second_taker, third_taker = _learners(cohort, 3)
    make_attempt(first_taker, quiz, {"q1": 1})
    _answer_with(make_attempt(second_taker, quiz, {"q1": 1}), "q1", second, "d")
    _answer_with(make_attempt(third_taker, quiz, {"q1": 0}), "q1", second, "a")

    [item] = quiz_report(cohort, quiz, "all").items

    # Rightness is what any version said: the first version's key made "Acknowledge"
    # right, the second one's "Declare".
    assert item.title == "q1 again?"
    assert item.distribution == [
        ("Acknowledge the page", 2, 66.7, True),
        ("Wait and see", 0, 0.0, False),
        ("Restart everything", 0, 0.0, False),
        ("Declare an incident", 1, 33.3, True),
    ]


def test_a_true_or_false_answer_is_right_by_the_latest_answered_version(
    cohort: Cohort,
) -> None:
    quiz = make_quiz(make_lesson(1), ["truefalse"])
    second = _new_version(quiz.questions.get(), {"answer": False})
    early, late = _learners(cohort, 2)
    make_attempt(early, quiz, {"q1": 1}, responses={"q1": True})
    _answer_with(make_attempt(late, quiz, {"q1": 1}), "q1", second, False)

    [item] = quiz_report(cohort, quiz, "all").items

    assert item.distribution == [
        ("True", 1, 50.0, False),
        ("False", 1, 50.0, True),
    ]


def test_typed_answers_are_listed_most_frequent_first_then_as_first_given(
    cohort: Cohort,
) -> None:
    quiz = make_quiz(make_lesson(1), ["short"])
    given = ["SEV1", "sev 1", "SEV1", "", "sev 1", "P1"]
    for learner, text in zip(_learners(cohort, len(given)), given, strict=True):
        make_attempt(learner, quiz, {"q1": 1}, responses={"q1": text})

    [item] = quiz_report(cohort, quiz, "all").items

    assert item.distribution == [
        ("SEV1", 2, 33.3, False),
        ("sev 1", 2, 33.3, False),
        ("(no answer)", 1, 16.7, False),
        ("P1", 1, 16.7, False),
    ]


def test_unmarked_open_answers_stay_out_and_missing_marks_count_as_zero(
    cohort: Cohort,
) -> None:
    quiz = make_quiz(make_lesson(1), ["single", "open"])
    marked, unmarked = _learners(cohort, 2)
    make_attempt(marked, quiz, {"q1": 1, "q2": 1}, responses={"q2": "An essay."})
    make_attempt(unmarked, quiz, {"q1": 0}, responses={"q2": "Another essay."})
    Answer.objects.filter(attempt__user=marked, question__key="q2").update(
        fraction=1, points=1
    )

    report = quiz_report(cohort, quiz, "all")

    q1, q2 = report.items
    assert (q1.facility, q2.facility) == (50.0, 50.0)
    assert q2.distribution == [("An essay.", 1, 100.0, False)]
    assert report.summary.count == 2


def test_the_page_shows_new_figures_once_an_attempt_is_added(
    instructor_client: Client, cohort: Cohort
) -> None:
    quiz = make_quiz(make_lesson(1), ["single"])
    early, late = _learners(cohort, 2)
    make_attempt(early, quiz, {"q1": 1})
    url = "/classes/NIGHT123/statistics/quiz/lesson-1/"
    before = instructor_client.get(url).content.decode()
    again = instructor_client.get(url).content.decode()

    make_attempt(late, quiz, {"q1": 0})
    after = instructor_client.get(url).content.decode()

    assert "<dt>Attempts</dt><dd>1</dd>" in before
    assert "<dt>Attempts</dt><dd>1</dd>" in again
    assert "<dt>Attempts</dt><dd>2</dd>" in after
    assert "<td>50.00</td>" in after
