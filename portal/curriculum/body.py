"""The part of a lesson page that is the same for every reader, rendered once.

Sections, the flow, commands, callouts, notes, the questions as an anonymous reader sees
them and the sandbox links change only when `load_curriculum` changes the lesson. The
loader then stores a digest of that content on the lesson (`Lesson.content_hash`), and the
page renders the body once per digest and process, into a small in-process memo. The key
is the content itself, so an entry can never be stale and processes need not share it;
a body is only kept under the digest its own rows produce, so a request that reads the
lesson during a reload cannot file new content under an old digest.

A learner's read controls, the end-of-lesson control and the form of each question not
answered yet differ between learners only in their state and CSRF token, so each state is
rendered ahead too, with `CSRF_SLOT` where the token goes; the page picks the state and
puts the request's token in (`lesson_tags.with_csrf`). What is the learner's own (the
progress panel, their answers with the model answers they unlocked) is rendered on each
request around these parts (`portal.curriculum.article`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from portal.curriculum.models import DiscussionQuestion, Lesson, Section
from portal.sandbox.models import Scenario

logger = logging.getLogger(__name__)

TEMPLATE = "curriculum/_lesson_body.html"
PROGRESS_TEMPLATE = "progress/_lesson_progress.html"
DISCUSSION_TEMPLATE = "quizzes/_discussion.html"
# Where the request's CSRF token goes in the parts rendered ahead. Random per process, as
# the memo is, so that no lesson text can contain it.
CSRF_SLOT = f"csrf-slot-{secrets.token_hex(16)}"
# Bodies kept per process. Each lesson has one current body, so this holds the whole
# curriculum many times over; when full, the memo starts again from empty.
MEMO_SIZE = 256
# Fields that say nothing about what a page shows.
_UNSHOWN = {"id", "lesson", "loaded_at", "content_hash"}


class _AnyLearner:
    """Whom the parts that every signed-in learner sees alike are rendered for."""

    is_authenticated = True


@dataclass(frozen=True)
class BodySection:
    """A section's fixed HTML before and after the reader's part of it, and its read
    control as shown to a learner who has read it and to one who has not."""

    section: Section
    opening: SafeString
    closing: SafeString
    read_control: SafeString
    unread_control: SafeString

    @property
    def kind(self) -> str:
        return self.section.kind

    @property
    def title(self) -> str:
        return self.section.title


@dataclass(frozen=True)
class LessonBody:
    digest: str
    head: SafeString
    sections: list[BodySection]
    # The current questions, each with a learner's answer form before they answer it
    # (`blank_form`). Shared by every request: copy one before changing it.
    questions: list[DiscussionQuestion]
    anonymous_questions: SafeString
    learner_intro: SafeString
    end_control_read: SafeString
    end_control_unread: SafeString
    announcement: SafeString
    scenarios: SafeString
    # Every scenario of the lesson, retired ones too: a run finished still counts.
    scenario_slugs: frozenset[str]

    @property
    def current_sections(self) -> list[Section]:
        return [part.section for part in self.sections]


_memo: dict[str, LessonBody] = {}


@dataclass(frozen=True)
class _Content:
    lesson: Lesson
    sections: list[Section]
    questions: list[DiscussionQuestion]
    scenarios: list[Scenario]


def lesson_body(lesson: Lesson) -> LessonBody:
    """The lesson's body, from the memo when its content was rendered before."""
    if lesson.content_hash:
        body = _memo.get(lesson.content_hash)
        if body is not None:
            return body

    content = _content(lesson)
    body = _render(content, fingerprint(content))
    if body.digest == lesson.content_hash:
        if len(_memo) >= MEMO_SIZE:
            _memo.clear()
        _memo[body.digest] = body
        logger.debug("Lesson body of %s rendered and kept", lesson.slug)
    return body


def forget_bodies() -> None:
    """Empty this process's memo, so the next request renders every body afresh."""
    _memo.clear()


def stamp_content_hash(lesson: Lesson) -> bool:
    """Store the digest of the lesson's content as now saved; return whether it changed.

    The digest is taken from the rows as read back, exactly as a request reads them.
    """
    stored = Lesson.objects.get(pk=lesson.pk)
    digest = fingerprint(_content(stored))
    lesson.content_hash = digest
    if digest == stored.content_hash:
        return False
    Lesson.objects.filter(pk=lesson.pk).update(content_hash=digest)
    return True


def question_groups(questions: Iterable[DiscussionQuestion]) -> list[dict[str, Any]]:
    """The questions grouped by level, in order, as the page lists them."""
    return [
        {"level": level, "title": items[0].group_title, "questions": items}
        for level, group in groupby(questions, key=lambda question: question.level)
        if (items := list(group))
    ]


def fingerprint(content: _Content) -> str:
    """A digest of every field of the rows the body is rendered from.

    Every field counts, not only those the templates use today, so that a template
    showing one more field can never be served from a body rendered without it.
    """
    data = {
        "lesson": _fields(content.lesson),
        "sections": [_fields(section) for section in content.sections],
        "questions": [_fields(question) for question in content.questions],
        "scenarios": [_fields(scenario) for scenario in content.scenarios],
    }
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _fields(row: Model) -> dict[str, Any]:
    return {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if field.name not in _UNSHOWN
    }


def _content(lesson: Lesson) -> _Content:
    sections = list(Section.objects.filter(lesson=lesson, is_retired=False))
    questions = list(DiscussionQuestion.objects.filter(lesson=lesson, is_retired=False))
    for section in sections:
        section.lesson = lesson
    for question in questions:
        question.lesson = lesson
    scenarios = list(Scenario.objects.filter(lesson=lesson).order_by("slug"))
    return _Content(lesson, sections, questions, scenarios)


def _render(content: _Content, digest: str) -> LessonBody:
    lesson = content.lesson
    learner = _AnyLearner()
    ahead = {"lesson": lesson, "user": learner, "csrf_token": CSRF_SLOT}
    sections = [
        BodySection(
            section,
            _part(TEMPLATE, "section-opening", section=section),
            _part(TEMPLATE, "section-closing", section=section),
            _part(PROGRESS_TEMPLATE, "read-control", **ahead, section=section,
                  status={"read": {section.kind}}),
            _part(PROGRESS_TEMPLATE, "read-control", **ahead, section=section,
                  status={"read": set()}),
        )
        for section in content.sections
    ]  # fmt: skip
    current_scenarios = [item for item in content.scenarios if not item.is_retired]
    return LessonBody(
        digest=digest,
        head=_part(TEMPLATE, "head", lesson=lesson, sections=content.sections),
        sections=sections,
        questions=[_with_blank_form(question, ahead) for question in content.questions],
        anonymous_questions=_part(
            TEMPLATE,
            "question-groups",
            question_groups=question_groups(content.questions),
            user=AnonymousUser(),
        ),
        learner_intro=_part(DISCUSSION_TEMPLATE, "discussion-intro", user=learner),
        end_control_read=_part(
            PROGRESS_TEMPLATE, "end-control", **ahead, status={"all_read": True}
        ),
        end_control_unread=_part(
            PROGRESS_TEMPLATE, "end-control", **ahead, status={"all_read": False}
        ),
        announcement=_part(PROGRESS_TEMPLATE, "announcement"),
        scenarios=_part(TEMPLATE, "scenarios", scenarios=current_scenarios),
        scenario_slugs=frozenset(item.slug for item in content.scenarios),
    )


def _with_blank_form(
    question: DiscussionQuestion, ahead: dict[str, Any]
) -> DiscussionQuestion:
    blank = copy.copy(question)
    blank.blank_form = _part(  # type: ignore[attr-defined]
        DISCUSSION_TEMPLATE, "discussion-item", **ahead, question=question
    )
    return blank


def _part(template: str, name: str, **context: Any) -> SafeString:
    return SafeString(render_to_string(f"{template}#{name}", context))
