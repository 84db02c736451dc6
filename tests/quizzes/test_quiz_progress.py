from django.contrib.auth.models import User
from django.test import Client

from portal.progress.models import LessonProgress
from portal.quizzes.attempts import save_answer, start_attempt, submit_attempt
from portal.quizzes.models import Quiz
from tests.quizzes.conftest import LESSON_4, QUIZ_URL


def test_the_lesson_page_links_to_its_quiz(client: Client, quiz: Quiz) -> None:
    html = client.get(f"/lessons/{LESSON_4}/").content.decode()

    assert f'<a class="button" href="{QUIZ_URL}">Take the quiz</a>' in html


def test_a_submitted_attempt_records_the_best_result_on_progress(
    quiz: Quiz, alice: User
) -> None:
    attempt = start_attempt(alice, quiz)
    save_answer(attempt, "phase-selector-pitfall", False)
    save_answer(attempt, "ack-stops-escalation", True)

    submitted, _ = submit_attempt(attempt)

    progress = LessonProgress.objects.get(user=alice, lesson=quiz.lesson)
    assert progress.quiz_best_score == submitted.percent
    assert 0 < progress.quiz_best_score < quiz.pass_mark
    assert progress.quiz_passed_at is None
