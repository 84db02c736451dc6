"""Request logging: one line per request with its status and duration."""

from __future__ import annotations

import logging
import time
import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger(__name__)

# Load balancers ask for this every few seconds; their requests are logged at DEBUG only.
QUIET_PATHS = frozenset({"/healthz"})


def _user_id(request: HttpRequest) -> str:
    """The signed-in user's id, "-" for anonymous requests."""
    user = getattr(request, "user", None)
    # Evaluating a user the view never looked at would cost a session and a user query
    # after the response, counted against the page. Pages that render the layout
    # always look at it, so this loses the id only for bare endpoints.
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):  # type: ignore[attr-defined]
        return "-"
    if not user.is_authenticated:
        return "-"
    return str(user.pk)


class RequestLogMiddleware:
    """Log method, path, status, duration in milliseconds and the user's id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000

        level = logging.DEBUG if request.path in QUIET_PATHS else logging.INFO
        logger.log(
            level,
            "%s %s %s %.1fms user=%s",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            _user_id(request),
        )
        return response


# The session key holding the signed-in learner's time zone, set at sign-in and when
# the profile is saved (portal.accounts), so no request pays a query for it.
TIME_ZONE_SESSION_KEY = "time_zone"


class TimeZoneMiddleware:
    """Activate the learner's time zone from the session for the whole request; UTC
    (the default zone) when there is none or it is not a zone this machine knows.

    Reading the session costs nothing extra on pages that show the user anyway (the
    authentication middleware loads the same session)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = getattr(request, "session", None)
        if session is None or request.path in QUIET_PATHS:
            # Health checks render no time and must not load the session.
            return self.get_response(request)
        name = session.get(TIME_ZONE_SESSION_KEY)
        try:
            zone = zoneinfo.ZoneInfo(name) if name else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
