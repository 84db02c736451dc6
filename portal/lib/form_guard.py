"""Refuse oversize and malformed form posts before any view reads them.

Left to itself Django copes quietly: a body over DATA_UPLOAD_MAX_MEMORY_SIZE raises
RequestDataTooBig only when a view first touches request.POST, raw bytes that are not
UTF-8 are read as Latin-1, percent-encoded ones become U+FFFD, and a percent-encoded
NUL reaches the view. Each view would then need its own checks, and a view that has
already stored something before it looks further could store half a submission.

This middleware checks the body first and answers 400 with a page that says what was
wrong and that nothing was saved; an htmx request gets one plain sentence. It runs
before the CSRF check, so a refused post never reaches a view either way: a well-formed
post then meets the CSRF check as always.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

TOO_LARGE = "too-large"
NOT_TEXT = "not-text"
UNREADABLE = "unreadable"
NOT_UTF8 = "not-utf8"
FILES = "files"

MESSAGES = {
    TOO_LARGE: "The submission was too large, so nothing was saved.",
    NOT_TEXT: (
        "The submission held characters that are not text (such as a null "
        "character or bytes that are not UTF-8), so nothing was saved."
    ),
    UNREADABLE: "The submission could not be read, so nothing was saved.",
    NOT_UTF8: "The submission was not sent as UTF-8 text, so nothing was saved.",
    FILES: "No form here takes files, so nothing was saved.",
}


class FormBodyGuardMiddleware:
    """Answer 400 to a form post that is too large or is not UTF-8 text."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in BODY_METHODS:
            problem = body_problem(request)
            if problem is not None:
                logger.warning(
                    "Refused %s %s: %s body", request.method, request.path, problem
                )
                return refusal(request, problem)
        return self.get_response(request)


def body_problem(request: HttpRequest) -> str | None:
    """What is wrong with the request's body, or None for a body a view may read."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # The same rule as Django's own when a view reads request.body, checked before
    # reading it, and for every kind of body: a JSON or plain-text body no view reads
    # is refused as well, and so is a multipart body whose bulk is in file parts
    # (Django counts only text fields against the limit).
    if limit is not None and _content_length(request) > limit:
        return TOO_LARGE
    if request.content_type in (URLENCODED, MULTIPART) and not _utf8_declared(request):
        return NOT_UTF8
    if request.content_type == MULTIPART:
        return _multipart_problem(request)
    if request.content_type == URLENCODED:
        return _urlencoded_problem(request)
    return None


def _utf8_declared(request: HttpRequest) -> bool:
    """Whether the form's declared charset, if any, is the one Django decodes forms
    with. Django refuses any other (even the alias "utf8") with an exception raised
    again inside its own error handlers, which would answer 500."""
    charset = (request.content_params or {}).get("charset")
    return charset is None or charset.strip().lower() == "utf-8"


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _urlencoded_problem(request: HttpRequest) -> str | None:
    try:
        body = request.body
    except RequestDataTooBig:
        return TOO_LARGE
    fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    if fields is not None and body.count(b"&") >= fields:
        return TOO_LARGE
    # Separators are ASCII and no byte of a multi-byte UTF-8 character is, so the
    # whole body decodes exactly when every field name and value does.
    decoded = unquote_to_bytes(body) if b"%" in body else body
    if b"\x00" in decoded:
        return NOT_TEXT
    try:
        decoded.decode("utf-8")
    except UnicodeDecodeError:
        return NOT_TEXT
    return None


def _multipart_problem(request: HttpRequest) -> str | None:
    """Check the text fields; Django's parser has already limited their total size.

    The parser turns bytes that are not UTF-8 into U+FFFD, the replacement character,
    which is how they are recognised here (nobody types that character).
    """
    try:
        post = request.POST
    except RequestDataTooBig:
        return TOO_LARGE
    except (TooManyFieldsSent, TooManyFilesSent):
        return TOO_LARGE
    except MultiPartParserError:
        return UNREADABLE
    for name, values in post.lists():
        for text in (name, *values):
            if "\x00" in text or "\ufffd" in text:
                return NOT_TEXT
    if request.FILES:
        return FILES
    return None


def refusal(request: HttpRequest, problem: str) -> HttpResponse:
    """The 400 answer: the error page, or one plain sentence for htmx."""
    message = MESSAGES[problem]
    if request.headers.get("HX-Request") == "true":
        return HttpResponse(
            message, status=400, content_type="text/plain; charset=utf-8"
        )
    body = render_to_string("400.html", {"message": message})
    return HttpResponse(body, status=400)
