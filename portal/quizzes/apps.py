from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "portal.quizzes"
    default_auto_field = "django.db.models.BigAutoField"
