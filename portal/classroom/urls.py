from django.urls import path

from portal.classroom import views

app_name = "classroom"

urlpatterns = [
    path("classes/", views.cohort_list, name="cohorts"),
    path("classes/join/", views.join, name="join"),
    path("classes/join/<slug:code>/", views.join_link, name="join-link"),
    path("classes/<slug:code>/", views.cohort_detail, name="cohort"),
    path(
        "classes/<slug:code>/instructors/",
        views.add_instructor,
        name="add-instructor",
    ),
    path(
        "classes/<slug:code>/members/<int:membership_id>/remove/",
        views.remove_member,
        name="remove-member",
    ),
    path("classes/<slug:code>/matrix/", views.matrix, name="matrix"),
    path(
        "classes/<slug:code>/learners/<int:user_id>/",
        views.learner_detail,
        name="learner",
    ),
    path(
        "classes/<slug:code>/assignments/new/",
        views.assignment_create,
        name="assignment-create",
    ),
    path(
        "classes/<slug:code>/assignments/<int:pk>/",
        views.assignment_detail,
        name="assignment",
    ),
    path(
        "classes/<slug:code>/assignments/<int:pk>/delete/",
        views.assignment_delete,
        name="assignment-delete",
    ),
    path(
        "classes/<slug:code>/assignments/<int:pk>/reset/",
        views.assignment_reset,
        name="assignment-reset",
    ),
    path(
        "classes/<slug:code>/assignments/<int:pk>/extensions/",
        views.extension_grant,
        name="extension-grant",
    ),
    path(
        "classes/<slug:code>/assignments/<int:pk>/extensions/<int:extension_id>/delete/",
        views.extension_delete,
        name="extension-delete",
    ),
    path(
        "classes/<slug:code>/review/attempts/<int:attempt_id>/",
        views.review_attempt,
        name="review-attempt",
    ),
    path(
        "classes/<slug:code>/review/runs/<int:run_id>/",
        views.review_run,
        name="review-run",
    ),
    path(
        "classes/<slug:code>/review/assignments/<int:pk>/learners/<int:user_id>/override/",
        views.override,
        name="override",
    ),
    path("classes/<slug:code>/grading/", views.grading, name="grading"),
    path(
        "classes/<slug:code>/grading/answers/<int:answer_id>/",
        views.grade_answer,
        name="grade-answer",
    ),
    path(
        "classes/<slug:code>/grading/discussions/<int:response_id>/",
        views.grade_discussion,
        name="grade-discussion",
    ),
    path(
        "classes/<slug:code>/statistics/quiz/<slug:slug>/",
        views.quiz_statistics,
        name="quiz-statistics",
    ),
    path(
        "classes/<slug:code>/statistics/scenario/<slug:slug>/",
        views.scenario_statistics,
        name="scenario-statistics",
    ),
    path(
        "classes/<slug:code>/export/grades.csv",
        views.export_grades,
        name="export-grades",
    ),
    path(
        "classes/<slug:code>/export/responses.csv",
        views.export_responses,
        name="export-responses",
    ),
]
