"""The minimal view: the same bytes as a measured page, with no work to make them."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

# Filled by the bench before timing: name -> (body, content type) of a real response.
BODIES: dict[str, tuple[bytes, str]] = {}


def same_bytes(request: HttpRequest, name: str) -> HttpResponse:
    try:
        body, content_type = BODIES[name]
    except KeyError:
        raise Http404(name) from None
    return HttpResponse(body, content_type=content_type)
