from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.curriculum.loader import load_curriculum
from portal.lib.yamldoc import ContentError


class Command(BaseCommand):
    help = (
        "Validate every file under lessons/ and load the curriculum in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--lessons-dir",
            type=Path,
            default=None,
            help="The folder to load (default: settings.LESSONS_DIR).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report what would change, saving nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lessons_dir: Path = options["lessons_dir"] or settings.LESSONS_DIR
        try:
            report = load_curriculum(lessons_dir, dry_run=options["dry_run"])
        except ContentError as error:
            count = len(error.problems)
            raise CommandError(
                f"The curriculum was not loaded ({count} problem"
                f"{'s' if count != 1 else ''}; nothing was changed):\n{error}"
            ) from None
        if options["verbosity"] == 0:
            return
        for line in report.lines():
            self.stdout.write(line)
        if not (report.created or report.updated or report.retired):
            self.stdout.write("Nothing changed.")
        verb = "would be loaded (dry run)" if options["dry_run"] else "loaded"
        self.stdout.write(self.style.SUCCESS(f"Curriculum {verb} from {lessons_dir}."))
