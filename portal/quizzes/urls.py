from django.urls import path

from portal.quizzes import views

app_name = "quizzes"

urlpatterns = [
    path("lessons/<slug:slug>/quiz/", views.quiz_detail, name="quiz"),
    path(
        "lessons/<slug:slug>/quiz/attempts/",
        views.start_attempt,
        name="start-attempt",
    ),
    path(
        "lessons/<slug:slug>/quiz/attempts/<int:attempt_id>/",
        views.attempt_detail,
        name="attempt",
    ),
    path(
        "lessons/<slug:slug>/quiz/attempts/<int:attempt_id>/answers/<slug:question_key>/",
        views.save_answer,
        name="save-answer",
    ),
    path(
        "lessons/<slug:slug>/quiz/attempts/<int:attempt_id>/submit/",
        views.submit_attempt,
        name="submit",
    ),
    path(
        "lessons/<slug:slug>/quiz/attempts/<int:attempt_id>/review/",
        views.attempt_review,
        name="review",
    ),
    path(
        "lessons/<slug:slug>/discussion/<slug:key>/",
        views.submit_discussion_response,
        name="discussion-response",
    ),
    path(
        "lessons/<slug:slug>/discussion/<slug:key>/assessment/",
        views.assess_discussion_response,
        name="discussion-assessment",
    ),
]
