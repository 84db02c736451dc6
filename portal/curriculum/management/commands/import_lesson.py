"""The `import_lesson` command: plain-text lessons in the seed's shape to lesson folders."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.curriculum.importer import LessonRefused, ParsedLesson, parse_lesson
from portal.curriculum.importer.writer import (
    CURRICULUM_FILE,
    PlannedFile,
    listed_in_curriculum,
    plan_curriculum,
    plan_lesson,
    write_files,
)

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Import lessons from the seed's plain-text shape into lesson folders, "
        "repairing what copying broke and reporting every repair."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
        parser.add_argument(
            "--into",
            type=Path,
            default=None,
            help="The lessons folder to write into (default: settings.LESSONS_DIR).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace an existing lesson.yaml instead of refusing.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be written, writing nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        into: Path = options["into"] or settings.LESSONS_DIR
        lessons, problems = _parse_all(options["files"])
        files = _plan(lessons, into, options["force"], problems)
        if problems:
            count = len(problems)
            raise CommandError(
                f"Nothing was imported ({count} problem{'s' if count != 1 else ''}):\n"
                + "\n".join(problems)
            )

        self._report(lessons)
        if options["dry_run"]:
            self._print_plan(files)
            return
        write_files(files)
        for planned in files:
            verb = "Replaced" if planned.replaces else "Wrote"
            self.stdout.write(self.style.SUCCESS(f"{verb} {planned.path}"))
        self._remind_curriculum(lessons, into, files)
        logger.info("Imported %s lesson(s) into %s", len(lessons), into)

    def _report(self, lessons: list[ParsedLesson]) -> None:
        for lesson in lessons:
            for repair in lesson.repairs:
                line = repair.describe(lesson.source)
                if repair.warning:
                    self.stderr.write(self.style.WARNING(line))
                else:
                    self.stdout.write(line)

    def _print_plan(self, files: list[PlannedFile]) -> None:
        for planned in files:
            verb = "replace" if planned.replaces else "write"
            self.stdout.write(f"--- would {verb} {planned.path} (dry run) ---")
            self.stdout.write(planned.text, ending="")

    def _remind_curriculum(
        self, lessons: list[ParsedLesson], into: Path, files: list[PlannedFile]
    ) -> None:
        if any(planned.path.name == CURRICULUM_FILE for planned in files):
            return
        for lesson in lessons:
            if not listed_in_curriculum(into, lesson.folder):
                self.stdout.write(
                    f"Add {lesson.folder} to {into / CURRICULUM_FILE} "
                    "to put it in the curriculum."
                )


def _parse_all(paths: list[Path]) -> tuple[list[ParsedLesson], list[str]]:
    """Parse every file before writing any, collecting one problem per bad file."""
    lessons: list[ParsedLesson] = []
    problems: list[str] = []
    for path in paths:
        source = _shown(path)
        try:
            data = path.read_bytes()
        except OSError as error:
            problems.append(f"{source}: cannot be read ({error.strerror})")
            continue
        try:
            lessons.append(parse_lesson(data, source))
        except LessonRefused as refusal:
            problems.append(str(refusal))
    return lessons, problems


def _plan(
    lessons: list[ParsedLesson], into: Path, force: bool, problems: list[str]
) -> list[PlannedFile]:
    files: list[PlannedFile] = []
    folders: dict[str, str] = {}
    for lesson in lessons:
        if lesson.folder in folders:
            problems.append(
                f"{lesson.source}: makes the same folder {lesson.folder} "
                f"as {folders[lesson.folder]}"
            )
            continue
        folders[lesson.folder] = lesson.source
        planned = plan_lesson(into, lesson.folder, lesson.data)
        if planned.replaces and not force:
            problems.append(
                f"{lesson.source}: {planned.path} exists already; "
                "use --force to replace it"
            )
        files.append(planned)
    curriculum = plan_curriculum(into, folders)
    if curriculum is not None:
        files.append(curriculum)
    return files


def _shown(path: Path) -> str:
    """Name the file as given, relative to the working directory when it is inside."""
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.name
