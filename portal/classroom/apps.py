from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "portal.classroom"
    default_auto_field = "django.db.models.BigAutoField"
