"""What signing in records: the session, for account deletion, and the time zone."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends.base import SessionBase
from django.dispatch import receiver
from django.http import HttpRequest

from portal.accounts.models import Profile, UserSession
from portal.lib.middleware import TIME_ZONE_SESSION_KEY


@receiver(user_logged_in, dispatch_uid="accounts-remember-session")
def remember_session(
    sender: Any, request: HttpRequest, user: Any, **kwargs: Any
) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    zone = Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    session[TIME_ZONE_SESSION_KEY] = zone or "UTC"
    record_session(user, session)


def record_session(user: Any, session: SessionBase) -> None:
    """Remember the session's key for the user; call again whenever the key changes."""
    if session.session_key is None:
        session.save()
    UserSession.objects.get_or_create(
        session_key=session.session_key, defaults={"user": user}
    )
