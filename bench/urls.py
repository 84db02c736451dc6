"""The portal's URLs and the bench's minimal view, served through the same middleware."""

from django.urls import include, path

from bench.views import same_bytes

urlpatterns = [
    path("__bench__/same-bytes/<str:name>/", same_bytes, name="bench-same-bytes"),
    path("", include("portal.urls")),
]
