from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Max
from django.utils.html import strip_tags
from django.utils.text import slugify

from portal.curriculum.loader import LoadReport
from portal.curriculum.models import Lesson
from portal.lib.yamldoc import ContentError
from portal.quizzes import gift
from portal.quizzes.loader import save_question
from portal.quizzes.models import REVIEW_ITEMS, Question, Quiz

logger = logging.getLogger(__name__)

KEY_LENGTH = 60
REVIEW_TIMES = ("after_attempt", "while_open", "after_close")


class Command(BaseCommand):
    help = "Import the questions of a Moodle GIFT file into a lesson's quiz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The GIFT file to import.")
        parser.add_argument("--lesson", required=True, help="The lesson's slug.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the parsed questions as JSON and save nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        result = gift.parse_gift(source)
        problems = list(result.problems)

        if options["dry_run"]:
            self._report(problems)
            self.stdout.write(json.dumps(gift.to_json_list(result.questions), indent=2))
            return

        lesson = Lesson.objects.filter(slug=options["lesson"]).first()
        if lesson is None:
            raise CommandError(
                f"There is no lesson with the slug {options['lesson']!r}."
            )
        contents = []
        for question in result.questions:
            content = question_content(question)
            if isinstance(content, str):
                problems.append(gift.Problem(question.line, content))
            else:
                contents.append(content)
        problems.sort(key=lambda problem: problem.line)
        self._report(problems)

        report = LoadReport()
        try:
            with transaction.atomic():
                quiz = _quiz_for(lesson, report)
                _save_all(quiz, contents, report)
        except ContentError as error:
            raise CommandError(f"Nothing was imported from {path}:\n{error}") from None
        for line in report.lines():
            self.stdout.write(line)
        logger.info(
            "GIFT file %s imported into %s: %d questions, %d skipped",
            path,
            lesson.slug,
            len(contents),
            len(problems),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(contents)} question{'s' if len(contents) != 1 else ''}"
                f" into the quiz of {lesson.slug}; skipped {len(problems)}."
            )
        )

    def _report(self, problems: list[gift.Problem]) -> None:
        for problem in problems:
            self.stderr.write(f"line {problem.line}: {problem.message} (skipped)")


def _quiz_for(lesson: Lesson, report: LoadReport) -> Quiz:
    quiz, created = Quiz.objects.get_or_create(
        lesson=lesson,
        defaults={
            "title": f"Check your understanding: {lesson.title}",
            "review": {when: list(REVIEW_ITEMS) for when in REVIEW_TIMES},
        },
    )
    if created:
        report.created.append(f"quiz {lesson.slug}")
    return quiz


def _save_all(quiz: Quiz, contents: list[dict[str, Any]], report: LoadReport) -> None:
    """Give each question a stable key and save it after the quiz's questions.

    A key taken by a quiz.yaml question gets a suffix; a key taken by an earlier import
    of the same question makes a new version of it, so importing twice adds nothing.
    """
    taken_by_file = set(
        quiz.questions.filter(source=Question.Source.FILE).values_list("key", flat=True)
    )
    used: set[str] = set()
    last = quiz.questions.aggregate(last=Max("position"))["last"]
    position = -1 if last is None else last
    for content in contents:
        base = content["key"]
        key, suffix = base, 1
        while key in taken_by_file or key in used:
            suffix += 1
            key = f"{base[: KEY_LENGTH - 4]}-{suffix}"
        used.add(key)
        existing = quiz.questions.filter(key=key).first()
        if existing is None:
            position += 1
        save_question(
            quiz,
            {**content, "key": key},
            existing.position if existing else position,
            report,
            source=Question.Source.GIFT,
            location=(str(quiz.lesson.slug) + " (GIFT import)", None),
        )


def question_content(question: gift.Question) -> dict[str, Any] | str:
    """Turn a parsed GIFT question into quiz content, or say why it cannot be."""
    text = _plain(question.text, question.text_format)
    if question.has_blank:
        text = f"{text} _____ {_plain(question.text_after, question.text_format)}"
    content: dict[str, Any] = {
        "key": slugify(question.title or text)[:KEY_LENGTH].strip("-") or "question",
        "text": text.strip(),
        "points": 1,
        "explanation": _plain(question.general_feedback, question.text_format),
        "category": question.category or "",
    }
    if isinstance(question, gift.SingleChoice | gift.MultipleResponse):
        kind = "single" if isinstance(question, gift.SingleChoice) else "multiple"
        options = [
            {
                "key": _option_key(content["key"], index, option.text),
                "text": _plain(option.text, option.text_format),
                "fraction": option.fraction,
                "feedback": _plain(option.feedback, option.feedback_format),
            }
            for index, option in enumerate(question.options)
        ]
        return {**content, "kind": kind, "options": options}
    if isinstance(question, gift.TrueFalse):
        return {
            **content,
            "kind": "truefalse",
            "answer": question.answer,
            "feedback_true": _plain(question.feedback_true, question.text_format),
            "feedback_false": _plain(question.feedback_false, question.text_format),
        }
    if isinstance(question, gift.ShortAnswer):
        accepted = [
            {
                "text": _plain(o.text, o.text_format),
                "fraction": o.fraction,
                "feedback": _plain(o.feedback, o.feedback_format),
            }
            for o in question.options
        ]
        return {**content, "kind": "short", "accepted": accepted}
    if isinstance(question, gift.Matching):
        pairs = [
            {"left": _plain(p.left, p.left_format), "right": p.right}
            for p in question.pairs
            if p.left
        ]
        distractors = [p.right for p in question.pairs if not p.left]
        return {
            **content,
            "kind": "matching",
            "pairs": pairs,
            "distractors": distractors,
        }
    if isinstance(question, gift.Numerical):
        return _numeric(question, content)
    if isinstance(question, gift.Essay):
        return {**content, "kind": "open", "model_answer": content["explanation"]}
    return f"a {question.kind} block is not a question this portal can ask"


def _numeric(question: gift.Numerical, content: dict[str, Any]) -> dict[str, Any] | str:
    answers = []
    for answer in question.answers:
        if answer.is_catch_all:
            if answer.fraction > 0:
                return "a catch-all numeric answer that earns credit cannot be imported"
            continue
        answers.append(
            {
                "value": answer.value,
                "tolerance": answer.tolerance or 0.0,
                "min": answer.minimum,
                "max": answer.maximum,
                "fraction": answer.fraction,
                "feedback": _plain(answer.feedback, answer.feedback_format),
            }
        )
    return {**content, "kind": "numeric", "answers": answers, "unit": ""}


def _option_key(question_key: str, index: int, text: str) -> str:
    """A stable key that does not give away the option's place in the file.

    Authors usually write the right answer first, and the key is visible in the page's
    form values while the options are shown shuffled.
    """
    digest = hashlib.blake2s(f"{question_key}|{index}|{text}".encode(), digest_size=4)
    return f"option-{digest.hexdigest()}"


def _plain(text: str, text_format: str) -> str:
    """Quiz text is Markdown; HTML from Moodle keeps its words, not its tags."""
    return strip_tags(text) if text_format == "html" else text
