from django.contrib import admin
from django.urls import include, path

from portal.lib.health import healthz

urlpatterns = [
    path("", include("portal.curriculum.urls")),
    path("", include("portal.accounts.urls")),
    path("", include("portal.progress.urls")),
    path("", include("portal.quizzes.urls")),
    path("", include("portal.sandbox.urls")),
    path("", include("portal.classroom.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
