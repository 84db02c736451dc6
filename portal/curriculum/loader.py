"""Load validated curriculum content into the database in one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from portal.curriculum.body import stamp_content_hash
from portal.curriculum.content import (
    CURRICULUM_FILE,
    LessonContent,
    read_curriculum,
    unlisted_folders,
)
from portal.curriculum.models import DiscussionQuestion, Lesson, Section
from portal.quizzes.loader import load_quiz
from portal.sandbox.loader import load_scenarios

logger = logging.getLogger(__name__)

_SECTION_FIELDS = ("kind", "title")


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return (
            [f"created {name}" for name in self.created]
            + [f"updated {name}" for name in self.updated]
            + [f"retired {name}" for name in self.retired]
            + [f"warning: {text}" for text in self.warnings]
        )


def load_curriculum(lessons_dir: Path, dry_run: bool = False) -> LoadReport:
    """Validate every file, then create, update or retire rows to match them.

    Validation happens before the transaction opens, so bad content never touches the
    database. Rows are matched on stable keys and never deleted: content that disappears from
    the files is marked retired, so learners' progress and answers keep what they point at.
    """
    lessons = read_curriculum(lessons_dir)
    report = LoadReport()
    for folder in unlisted_folders(lessons_dir, lessons):
        report.warnings.append(
            f"the folder '{folder}' holds a lesson that {CURRICULUM_FILE} does not "
            "list, so it was not loaded"
        )
        logger.warning("Lesson folder %s is not listed in %s", folder, CURRICULUM_FILE)
    with transaction.atomic():
        _apply(lessons, report)
        if dry_run:
            transaction.set_rollback(True)
    logger.info(
        "Curriculum loaded from %s: %d created, %d updated, %d retired%s",
        lessons_dir,
        len(report.created),
        len(report.updated),
        len(report.retired),
        " (dry run, nothing saved)" if dry_run else "",
    )
    return report


def _apply(lessons: list[LessonContent], report: LoadReport) -> None:
    now = timezone.now()
    existing = {lesson.slug: lesson for lesson in Lesson.objects.all()}
    for content in lessons:
        data = content.data
        lesson = existing.pop(data["slug"], None)
        values = {
            "folder": content.folder,
            "title": data["title"],
            "level": data["level"],
            "number": data["number"],
            "position": content.position,
            "summary": data["summary"],
            "source": data["source"],
            "completion": data["completion"],
            "is_retired": False,
        }
        if lesson is None:
            lesson = Lesson.objects.create(slug=data["slug"], loaded_at=now, **values)
            report.created.append(f"lesson {lesson.slug}")
        elif _sync(lesson, values):
            lesson.loaded_at = now
            lesson.save()
            report.updated.append(f"lesson {lesson.slug}")
        _apply_sections(lesson, data["sections"], report)
        _apply_questions(lesson, data["sections"], report)
        load_quiz(
            lesson,
            content.quiz,
            report,
            path=content.quiz_path,
            key_lines=content.quiz_key_lines,
        )
        load_scenarios(lesson, content.scenarios, report)
        # Last, once everything the lesson page shows is saved: it is cached under this.
        stamp_content_hash(lesson)

    for lesson in existing.values():
        if not lesson.is_retired:
            lesson.is_retired = True
            lesson.save(update_fields=["is_retired"])
            report.retired.append(f"lesson {lesson.slug}")


def _sync(instance: Any, values: dict[str, Any]) -> bool:
    """Set the values on the instance; return whether any of them changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _apply_sections(
    lesson: Lesson, sections: list[dict[str, Any]], report: LoadReport
) -> None:
    existing = {section.kind: section for section in lesson.sections.all()}
    for position, data in enumerate(sections):
        body = {key: value for key, value in data.items() if key not in _SECTION_FIELDS}
        if data["kind"] == "questions":
            body = {key: value for key, value in body.items() if key != "groups"}
        values = {
            "title": data["title"],
            "position": position,
            "data": body,
            "is_retired": False,
        }
        section = existing.pop(data["kind"], None)
        if section is None:
            Section.objects.create(lesson=lesson, kind=data["kind"], **values)
            report.created.append(f"section {lesson.slug}/{data['kind']}")
        elif _sync(section, values):
            section.save()
            report.updated.append(f"section {lesson.slug}/{data['kind']}")
    for section in existing.values():
        if not section.is_retired:
            section.is_retired = True
            section.save(update_fields=["is_retired"])
            report.retired.append(f"section {lesson.slug}/{section.kind}")


def _apply_questions(
    lesson: Lesson, sections: list[dict[str, Any]], report: LoadReport
) -> None:
    existing = {
        question.key: question for question in lesson.discussion_questions.all()
    }
    groups = [
        group
        for section in sections
        if section["kind"] == "questions"
        for group in section["groups"]
    ]
    position = 0
    for group in groups:
        for data in group["questions"]:
            values = {
                "level": group["level"],
                "group_title": group["title"],
                "text": data["text"],
                "model_answer": data["model_answer"],
                "position": position,
                "is_retired": False,
            }
            position += 1
            question = existing.pop(data["key"], None)
            if question is None:
                DiscussionQuestion.objects.create(
                    lesson=lesson, key=data["key"], **values
                )
                report.created.append(f"question {lesson.slug}/{data['key']}")
            elif _sync(question, values):
                question.save()
                report.updated.append(f"question {lesson.slug}/{data['key']}")
    for question in existing.values():
        if not question.is_retired:
            question.is_retired = True
            question.save(update_fields=["is_retired"])
            report.retired.append(f"question {lesson.slug}/{question.key}")
