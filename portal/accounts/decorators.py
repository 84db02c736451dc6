"""Sending anonymous visitors to sign in and back to where they were."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect

View = Callable[..., HttpResponse]


def sign_in_then_return(request: HttpRequest, back: str) -> HttpResponse:
    """Redirect to the sign-in page, which returns to `back` afterwards."""
    response = redirect_to_login(back)
    if getattr(request, "htmx", False):
        # A plain redirect would swap the sign-in page into a fragment.
        return HttpResponseClientRedirect(response["Location"])
    return response


def sign_in_required(back: Callable[..., str]) -> Callable[[View], View]:
    """Like login_required, for POST views: return to the page the form was on.

    Returning to the POST URL itself would answer 405 after sign-in, so `back` builds the
    URL of the page from the view's arguments.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return sign_in_then_return(request, back(*args, **kwargs))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
