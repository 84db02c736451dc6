"""Sign-in throttling: refuse sign-in after repeated failures, per username and address.

Failures are counted in the cache from Django's user_login_failed signal, so every
sign-in form that authenticates with the request counts (the portal's and the admin's).
Once a counter reaches its limit, the middleware answers sign-in posts with HTTP 429
until the lockout ends. A successful sign-in clears the username's counter; the
address's counter runs out on its own, so that one address cannot probe many accounts
by signing in to its own now and then.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
import unicodedata
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

logger = logging.getLogger(__name__)

# Views whose POST signs someone in, by their URL names.
SIGN_IN_VIEWS = frozenset({"accounts:login", "admin:login"})


def client_address(request: HttpRequest) -> str:
    """The client's IP address, read through TRUSTED_PROXY_COUNT proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Each trusted proxy appends the address it received from; anything further
        # left was written by the client and may be forged.
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:40]


def canonical_username(username: str) -> str:
    """The username as the sign-in form cleans it (stripped, NFKC), case-folded.

    The lock is checked on the raw post and failures are counted on the cleaned
    credentials, so both must reduce to the same key: " alice" is alice.
    """
    return unicodedata.normalize("NFKC", username.strip()).casefold()


def _username_keys(username: str) -> tuple[str, str]:
    digest = _digest(canonical_username(username))
    return f"signin-failures:user:{digest}", f"signin-lock:user:{digest}"


def _address_keys(address: str) -> tuple[str, str]:
    digest = _digest(address)
    return f"signin-failures:addr:{digest}", f"signin-lock:addr:{digest}"


def _count_failure(counter_key: str, lock_key: str, limit: int) -> None:
    window = settings.LOGIN_FAILURE_WINDOW
    cache.add(counter_key, 0, timeout=window)
    try:
        failures = cache.incr(counter_key)
    except ValueError:
        # The window ended between add and incr.
        cache.set(counter_key, 1, timeout=window)
        failures = 1
    if failures >= limit:
        lockout = settings.LOGIN_LOCKOUT
        cache.set(lock_key, time.time() + lockout, timeout=lockout)


def locked_until(username: str, address: str) -> float | None:
    """When sign-in opens again for this username or address, None if it is open."""
    lock_keys = [_username_keys(username)[1], _address_keys(address)[1]]
    ends = [float(end) for end in cache.get_many(lock_keys).values()]
    if not ends or max(ends) <= time.time():
        return None
    return max(ends)


@receiver(user_login_failed, dispatch_uid="portal-count-sign-in-failure")
def count_sign_in_failure(
    sender: Any,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    username = str(credentials.get("username") or "")
    if username:
        _count_failure(*_username_keys(username), settings.LOGIN_FAILURES_PER_USERNAME)
    if request is not None:
        address = client_address(request)
        _count_failure(*_address_keys(address), settings.LOGIN_FAILURES_PER_ADDRESS)


@receiver(user_logged_in, dispatch_uid="portal-clear-sign-in-failures")
def clear_sign_in_failures(sender: Any, user: Any, **kwargs: Any) -> None:
    cache.delete(_username_keys(user.get_username())[0])


class LoginThrottleMiddleware:
    """Answer sign-in posts with 429 while the username or the address is locked out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        match = request.resolver_match
        if request.method != "POST" or match is None:
            return None
        if match.view_name not in SIGN_IN_VIEWS:
            return None

        username = request.POST.get("username", "")
        address = client_address(request)
        until = locked_until(username, address)
        if until is None:
            return None

        logger.warning(
            "Sign-in refused after repeated failures: username %r from %s",
            username,
            address,
        )
        return self._refusal(request, username, until)

    def _refusal(
        self, request: HttpRequest, username: str, until: float
    ) -> HttpResponse:
        wait = max(1, math.ceil(until - time.time()))
        minutes = math.ceil(wait / 60)
        messages.error(
            request,
            "Too many failed sign-in attempts. Sign-in is paused for this account "
            f"or network; try again in {minutes} minute{'s' if minutes != 1 else ''}.",
        )
        # The page itself, unbound, so the password is never checked while locked out.
        form = AuthenticationForm(request, initial={"username": username})
        context = {"form": form, "next": request.POST.get("next", "")}
        response = render(request, "registration/login.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
