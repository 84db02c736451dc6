"""The portal's URLs plus views that fail, for the error page tests."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the view broke")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("the request was odd")


urlpatterns = [
    *portal_urlpatterns,
    path("test/broken/", broken),
    path("test/forbidden/", forbidden),
    path("test/suspicious/", suspicious),
]
