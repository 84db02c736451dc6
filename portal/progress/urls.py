from django.urls import path

from portal.progress import views

app_name = "progress"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path(
        "dashboard/lessons/<slug:slug>/",
        views.lesson_progress_detail,
        name="lesson-progress-detail",
    ),
    path("lessons/<slug:slug>/read/", views.mark_lesson_read, name="mark-lesson-read"),
    path(
        "lessons/<slug:slug>/sections/<slug:kind>/read/",
        views.mark_section_read,
        name="mark-section-read",
    ),
]
