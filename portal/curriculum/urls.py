from django.urls import path

from portal.curriculum import views

app_name = "curriculum"

urlpatterns = [
    path("", views.home, name="home"),
    path("lessons/<slug:slug>/", views.lesson_detail, name="lesson-detail"),
]
