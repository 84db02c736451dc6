"""A learner's profile: how the portal names them and shows them times."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted for a select list."""
    return tuple(sorted(zoneinfo.available_timezones()))


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(f"{value!r} is not a time zone this portal knows.")


class ProfileQuerySet(models.QuerySet["Profile"]):
    def for_user(self, user: models.Model) -> Profile:
        """The user's profile, created with defaults for accounts made outside sign-up."""
        profile, _ = self.get_or_create(user=user)
        return profile


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="How the portal greets you and how instructors see you.",
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Dates and times on your dashboard are shown in this zone.",
    )

    objects = ProfileQuerySet.as_manager()

    class Meta:
        permissions = [
            ("view_learner_progress", "Can see learners' progress and results"),
            ("manage_classes", "Can run classes and assign lessons"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()


class UserSession(models.Model):
    """A session a user signed in with, so deleting the account can end all of them.

    Recorded at sign-in; a row outlives its session harmlessly (the session key is
    then simply gone from django_session) and goes with the user.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"session of {self.user_id}"
