"""Request types for views that only run for a signed-in user."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class AuthenticatedHttpRequest(HttpRequest):
    """A request past login_required: `user` is a real account, never anonymous."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
