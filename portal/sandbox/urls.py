from django.urls import path

from portal.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("sandbox/<slug:slug>/", views.scenario_detail, name="scenario"),
    path("sandbox/<slug:slug>/start/", views.start_run, name="start-run"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/actions/", views.run_action, name="run-action"),
    path("runs/<int:run_id>/end/", views.end_run, name="end-run"),
    path("runs/<int:run_id>/debrief/", views.run_debrief, name="debrief"),
    path("runs/<int:run_id>/postmortem.md", views.postmortem, name="postmortem"),
]
