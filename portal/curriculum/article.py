"""The lesson article: rendered for a learner on each request, ahead for anonymous readers.

An anonymous reader's article depends only on the lesson's content, its quiz and the
page's own path (in the links that sign in and come back). It is rendered once per
content version and quiz, with `PATH_SLOT` where the path goes, and kept in a small
in-process memo like the body it is made of (`portal.curriculum.body`).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.curriculum.body import MEMO_SIZE, LessonBody
from portal.curriculum.models import Lesson
from portal.progress.completion import LessonStatus
from portal.quizzes.models import DiscussionResponse, Quiz

TEMPLATE = "curriculum/_lesson_article.html"
# Where the page's path goes in an anonymous reader's article. Random per process, as
# the memo is, so that no lesson text can contain it.
PATH_SLOT = f"path-slot-{secrets.token_hex(16)}"

_memo: dict[tuple[str, str, int], SafeString] = {}


class _PathSlot:
    """Stands in for the request while an anonymous reader's article is rendered."""

    def get_full_path(self) -> str:
        return PATH_SLOT


def learner_article(
    request: HttpRequest,
    user: User,
    lesson: Lesson,
    body: LessonBody,
    quiz: Quiz | None,
    status: LessonStatus,
    question_groups: list[dict[str, Any]],
) -> SafeString:
    """The article with the learner's progress, controls and answers."""
    context = {
        "lesson": lesson,
        "body": body,
        "quiz": quiz,
        "status": status,
        "question_groups": question_groups,
        "self_assessments": DiscussionResponse.SelfAssessment.choices,
        "user": user,
        "request": request,
        "csrf_token": get_token(request),
    }
    return SafeString(render_to_string(TEMPLATE, context))


def anonymous_article(
    request: HttpRequest, lesson: Lesson, body: LessonBody, quiz: Quiz | None
) -> SafeString:
    """The article as an anonymous reader sees it, from the memo when rendered before."""
    key = (body.digest, quiz.title, quiz.pass_mark) if quiz else (body.digest, "", -1)
    article = _memo.get(key)
    if article is None:
        article = _render_anonymous(lesson, body, quiz)
        if len(_memo) >= MEMO_SIZE:
            _memo.clear()
        _memo[key] = article
    path = escape(urlencode(request.get_full_path()))
    return mark_safe(article.replace(PATH_SLOT, path))  # noqa: S308 - path escaped


def forget_articles() -> None:
    """Empty this process's memo of anonymous readers' articles."""
    _memo.clear()


def _render_anonymous(
    lesson: Lesson, body: LessonBody, quiz: Quiz | None
) -> SafeString:
    context = {
        "lesson": lesson,
        "body": body,
        "quiz": quiz,
        "status": None,
        "user": AnonymousUser(),
        "request": _PathSlot(),
    }
    return SafeString(render_to_string(TEMPLATE, context))
