"""The portal's URLconf plus one route the authorization matrix does not know."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def widget(request: HttpRequest, widget_id: int) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    path("", include("portal.urls")),
    path("widgets/<int:widget_id>/", widget, name="widget"),
    path("unnamed/", widget),
]
