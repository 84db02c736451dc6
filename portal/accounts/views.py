from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.forms import DeleteAccountForm, ProfileForm, SignUpForm
from portal.accounts.http import AuthenticatedHttpRequest
from portal.accounts.models import Profile, UserSession
from portal.accounts.signals import record_session
from portal.lib.middleware import TIME_ZONE_SESSION_KEY
from portal.progress.summary import export_data

logger = logging.getLogger(__name__)


def _next_url(request: HttpRequest) -> str:
    """The validated "next" parameter, or an empty string."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)

    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            Profile.objects.create(user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request, f"Welcome, {user.get_username()}. Your account is ready."
        )
        return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)

    return render(
        request,
        "accounts/account_signup.html",
        {"form": form, "next": _next_url(request)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    instance = Profile.objects.for_user(request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        # The time zone middleware reads it from here on every request.
        request.session[TIME_ZONE_SESSION_KEY] = saved.time_zone
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")

    return render(request, "accounts/profile_edit.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, remembering the session key it cycles."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record_session(self.request.user, self.request.session)
        return response


@require_safe
@login_required
def export(request: AuthenticatedHttpRequest) -> JsonResponse:
    data = export_data(request.user)

    response = JsonResponse(
        data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2}
    )
    filename = f"incident-academy-{request.user.get_username()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        user_id = user.pk
        # Everything that belongs to a learner points at the user with a cascading
        # foreign key, so deleting the user removes all of it in one transaction.
        with transaction.atomic():
            # Every session the user signed in with, on any device, ends with them.
            # The engine's own delete also drops a cached copy (cached_db).
            store = import_module(settings.SESSION_ENGINE).SessionStore
            keys = UserSession.objects.filter(user=user).values_list(
                "session_key", flat=True
            )
            for key in keys:
                store().delete(key)
            user.delete()
        logout(request)
        logger.info("Account %s deleted by its owner", user_id)
        messages.success(
            request, "Your account and everything held about you are deleted."
        )
        return redirect("curriculum:home")

    return render(request, "accounts/account_delete.html", {"form": form})
