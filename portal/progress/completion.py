"""Whether a lesson is complete for a learner, and what is still missing.

Pure functions over loaded rows, so the lesson page, the dashboard and the export agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from portal.curriculum.models import Lesson, Section
from portal.progress.models import LessonProgress, ScenarioResult

DEFAULT_RULE: dict[str, Any] = {"sections": "all", "quiz": "none", "scenarios": []}

# Where "continue" points once every section is read; the lesson page has this id.
LESSON_END_ANCHOR = "lesson-end"


@dataclass(frozen=True)
class LessonStatus:
    """A learner's standing in one lesson, computed against its current sections."""

    lesson: Lesson
    sections: Sequence[Section]
    progress: LessonProgress | None
    read: frozenset[str]
    finished: frozenset[str]
    scenario_results: Sequence[ScenarioResult]
    done: int
    total: int
    todo: list[str] = field(default_factory=list)

    @cached_property
    def quiz_shown(self) -> frozenset[str]:
        """Which parts of the best quiz result the quiz's review options show now."""
        progress = self.progress
        if progress is None or progress.quiz_best_at is None:
            return RESULT_ITEMS
        return quiz_review(self.lesson, progress.quiz_best_at)

    @property
    def quiz_score_shown(self) -> bool:
        return "points" in self.quiz_shown

    @property
    def quiz_passed_shown(self) -> bool:
        return "correctness" in self.quiz_shown

    @property
    def missing(self) -> list[str]:
        """What is still to do, never revealing a quiz result that is not released.

        The pass still counts toward completion and the percentage internally.
        """
        if self.quiz_passed_shown or self.lesson_rule_quiz != "pass":
            return self.todo
        items = [item for item in self.todo if item != PASS_QUIZ]
        return [*items, QUIZ_HIDDEN_NOTE]

    @property
    def lesson_rule_quiz(self) -> str:
        return str(rule_of(self.lesson)["quiz"])

    @property
    def is_complete(self) -> bool:
        # Completion is earned once and kept: content that grows later adds unread
        # sections (listed in `missing`) but never takes the completion away.
        if self.progress is not None and self.progress.completed_at is not None:
            return True
        return self.is_started and self.done >= self.total

    @property
    def is_started(self) -> bool:
        progress = self.progress
        return progress is not None and (
            progress.first_opened_at is not None
            or progress.quiz_best_at is not None
            or bool(self.read)
            or bool(self.finished)
        )

    @property
    def state(self) -> str:
        if self.is_complete:
            return "complete"
        return "in-progress" if self.is_started else "not-started"

    @property
    def state_label(self) -> str:
        return {
            "complete": "Complete",
            "in-progress": "In progress",
            "not-started": "Not started",
        }[self.state]

    @property
    def percent(self) -> int:
        if self.is_complete:
            return 100
        if self.total == 0:
            return 0
        return self.done * 100 // self.total

    @property
    def sections_percent(self) -> int:
        """The share of the lesson's current sections read: sections since removed
        count neither as read nor as to read."""
        if not self.sections:
            return 100
        return self.read_count * 100 // len(self.sections)

    @property
    def read_count(self) -> int:
        return sum(1 for section in self.sections if section.kind in self.read)

    @property
    def all_read(self) -> bool:
        return self.read_count == len(self.sections)

    @property
    def continue_anchor(self) -> str:
        """The section to continue at: the next unread one after the last place."""
        kinds = [section.kind for section in self.sections]
        last = self.progress.last_section if self.progress else ""
        start = kinds.index(last) + 1 if last in kinds else 0
        for section in [*self.sections[start:], *self.sections[:start]]:
            if section.kind not in self.read:
                return section.anchor
        return LESSON_END_ANCHOR

    @property
    def continue_url(self) -> str:
        return f"{self.lesson.get_absolute_url()}#{self.continue_anchor}"


# What a quiz result consists of: the score shows with "points", the pass with
# "correctness", the review items of the quiz's options (portal.quizzes.review).
RESULT_ITEMS = frozenset({"points", "correctness"})
QUIZ_HIDDEN_NOTE = "Quiz submitted; result not released yet"
PASS_QUIZ = "Pass the lesson's quiz"


def quiz_review(lesson: Lesson, submitted_at: datetime | None) -> frozenset[str]:
    """The parts of a quiz result submitted at `submitted_at` the learner may see now.

    Decided by the quiz's own review options for an attempt submitted then. A lesson
    without a quiz (results recorded directly) hides nothing. Load the lesson with its
    `quiz` selected to spare the query.
    """
    from portal.quizzes.models import Attempt, Quiz
    from portal.quizzes.review import review_allows

    try:
        quiz = lesson.quiz  # type: ignore[attr-defined]
    except Quiz.DoesNotExist:
        return RESULT_ITEMS
    if quiz is None or submitted_at is None:
        return RESULT_ITEMS
    attempt = Attempt(
        quiz=quiz, state=Attempt.State.SUBMITTED, submitted_at=submitted_at
    )
    return RESULT_ITEMS & frozenset(review_allows(attempt))


def rule_of(lesson: Lesson) -> dict[str, Any]:
    return {**DEFAULT_RULE, **(lesson.completion or {})}


def evaluate(
    lesson: Lesson,
    sections: Sequence[Section],
    progress: LessonProgress | None,
    read: Iterable[str] = (),
    scenario_results: Sequence[ScenarioResult] = (),
    finished: Iterable[str] = (),
) -> LessonStatus:
    """Count the rule's requirements met; each section, the quiz and each scenario is one.

    `read` holds the kinds of the sections read. The scenarios finished are those of
    `scenario_results` and the slugs in `finished`, for callers that only know the slugs.
    """
    rule = rule_of(lesson)
    read_kinds = frozenset(read)
    finished_slugs = frozenset(finished).union(
        result.scenario_slug for result in scenario_results
    )
    done = total = 0
    missing: list[str] = []

    if rule["sections"] == "all":
        unread = [
            section.title for section in sections if section.kind not in read_kinds
        ]
        total += len(sections)
        done += len(sections) - len(unread)
        if unread:
            missing.append("Read: " + ", ".join(unread))

    if rule["quiz"] == "pass":
        total += 1
        if progress is not None and progress.quiz_passed_at is not None:
            done += 1
        else:
            missing.append(PASS_QUIZ)

    for slug in rule["scenarios"]:
        total += 1
        if slug in finished_slugs:
            done += 1
        else:
            missing.append(f"Finish the sandbox scenario “{slug}”")

    return LessonStatus(
        lesson=lesson,
        sections=sections,
        progress=progress,
        read=read_kinds,
        finished=finished_slugs,
        scenario_results=scenario_results,
        done=done,
        total=total,
        todo=missing,
    )
