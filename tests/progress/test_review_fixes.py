"""Regrades, hidden quiz results, logging every attempt, time zones, retired sections."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from django.contrib.auth.models import User
from django.test import Client

from portal.accounts.models import Profile
from portal.progress.models import Activity, LessonProgress
from portal.progress.services import mark_sections_read
from portal.quizzes.attempts import regrade
from tests.progress.lessons import make_lesson
from tests.progress.quizzes import HIDE_RESULTS, SHOW_ALL, change_key, make_quiz, submit

PASS = {"sections": "all", "quiz": "pass", "scenarios": []}


def test_a_regrade_that_lowers_the_score_lowers_the_best_result(
    learner: User, learner_client: Client
) -> None:
    lesson = make_lesson(1, completion=PASS)
    quiz = make_quiz(lesson, SHOW_ALL)
    submit(learner, quiz, [True, True])
    assert LessonProgress.objects.get().quiz_passed_at is not None

    change_key(quiz, answer=False)
    regrade(quiz)

    progress = LessonProgress.objects.get()
    assert (progress.quiz_best_score, progress.quiz_passed_at) == (0, None)
    regraded = Activity.objects.get(kind=Activity.Kind.QUIZ_REGRADED)
    assert regraded.detail == "100% → 0%"
    html = learner_client.get("/dashboard/").content.decode()
    assert "(passed)" not in html
    assert "<td>0%</td>" in html
    assert "Pass the lesson&#x27;s quiz" in html


def test_a_regrade_that_raises_the_score_passes_the_quiz(learner: User) -> None:
    lesson = make_lesson(1, completion=PASS)
    quiz = make_quiz(lesson, SHOW_ALL)
    attempt = submit(learner, quiz, [False, False])
    assert LessonProgress.objects.get().quiz_passed_at is None

    change_key(quiz, answer=False)
    regrade(quiz)

    progress = LessonProgress.objects.get()
    assert progress.quiz_best_score == 100
    attempt.refresh_from_db()
    assert progress.quiz_passed_at == attempt.submitted_at
    assert Activity.objects.get(kind="quiz_regraded").detail == "0% → 100%, passed"


def test_hidden_results_show_only_that_the_quiz_was_submitted(
    learner: User, learner_client: Client
) -> None:
    lesson = make_lesson(1, completion=PASS)
    mark_sections_read(learner, lesson, ["simple"])
    quiz = make_quiz(lesson, HIDE_RESULTS, questions=3)
    submit(learner, quiz, [True, True, True])

    dashboard = learner_client.get("/dashboard/").content.decode()
    detail = learner_client.get("/dashboard/lessons/lesson-1/").content.decode()
    for html in (dashboard, detail):
        assert "100%" not in html.replace('value="100">100%', "")
        assert "passed" not in html
        assert "Took the quiz (submitted)" in " ".join(html.split())
    assert "Submitted" in dashboard
    assert "Quiz submitted; result not released yet" in dashboard
    assert "Pass the lesson&#x27;s quiz" not in dashboard

    # The export is the learner's own data: the result is there, marked unreleased.
    data = json.loads(learner_client.get("/account/export/").content)
    assert data["lessons"][0]["quiz"]["best_score"] == 100
    assert data["lessons"][0]["quiz"]["released"] is False


def test_released_results_show_score_and_pass(
    learner: User, learner_client: Client
) -> None:
    lesson = make_lesson(1, completion=PASS)
    quiz = make_quiz(lesson, SHOW_ALL)
    submit(learner, quiz, [True, True])

    html = " ".join(learner_client.get("/dashboard/").content.decode().split())

    assert "Quiz (passed)" in html
    assert "Took the quiz (100%, passed)" in html


def test_every_submitted_attempt_is_logged(learner: User) -> None:
    lesson = make_lesson(1)
    quiz = make_quiz(lesson, SHOW_ALL)
    submit(learner, quiz, [True, True])
    submit(learner, quiz, [False, False])
    submit(learner, quiz, [True, True])

    details = Activity.objects.filter(kind="quiz").values_list("detail", flat=True)
    assert sorted(details) == ["0%", "100%, passed", "100%, passed"]


def test_a_deadline_renders_in_the_learners_time_zone(
    learner: User, client: Client
) -> None:
    Profile.objects.filter(user=learner).update(time_zone="Asia/Kolkata")
    lesson = make_lesson(1)
    quiz = make_quiz(lesson, SHOW_ALL)
    quiz.closes_at = datetime(2030, 3, 3, 9, 0, tzinfo=timezone.utc)
    quiz.save()
    client.force_login(learner)

    html = client.get(quiz.get_absolute_url()).content.decode()

    assert "3 March 2030, 14:30 IST" in html


def test_saving_the_profile_switches_the_time_zone(
    learner: User, learner_client: Client
) -> None:
    lesson = make_lesson(1)
    quiz = make_quiz(lesson, SHOW_ALL)
    quiz.closes_at = datetime(2030, 3, 3, 9, 0, tzinfo=timezone.utc)
    quiz.save()
    assert "09:00 UTC" in learner_client.get(quiz.get_absolute_url()).text

    learner_client.post(
        "/account/", {"display_name": "Alice", "time_zone": "Asia/Kolkata"}
    )

    assert "14:30 IST" in learner_client.get(quiz.get_absolute_url()).text


def test_retired_sections_are_marked_in_the_export(
    learner: User, learner_client: Client
) -> None:
    lesson = make_lesson(1, kinds=("simple", "technical", "summary"))
    mark_sections_read(learner, lesson, ["simple", "technical", "summary"])
    LessonProgress.objects.update(completed_at=None)
    lesson.sections.filter(kind="summary").update(is_retired=True)

    data = json.loads(learner_client.get("/account/export/").content)

    reads = {
        read["kind"]: read["retired"] for read in data["lessons"][0]["sections_read"]
    }
    assert reads == {"simple": False, "technical": False, "summary": True}
    assert data["lessons"][0]["percent"] == 100
    assert data["lessons"][0]["sections_percent"] == 100


@pytest.mark.parametrize("hidden", [True])
def test_the_lesson_panel_hides_an_unreleased_pass(
    learner: User, learner_client: Client, hidden: bool
) -> None:
    lesson = make_lesson(1, completion=PASS)
    quiz = make_quiz(lesson, HIDE_RESULTS)
    submit(learner, quiz, [True, True])

    html = learner_client.post(
        "/lessons/lesson-1/sections/simple/read/", HTTP_HX_REQUEST="true"
    ).content.decode()

    assert "Quiz submitted; result not released yet" in html
    assert "passed" not in html
