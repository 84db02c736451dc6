from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from portal.quizzes.attempts import close_overdue


class Command(BaseCommand):
    help = (
        "Grade the attempts in progress whose time limit passed or whose quiz closed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the overdue attempts and grade none of them.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        attempts = close_overdue(dry_run=dry_run)
        for attempt in attempts:
            score = "" if dry_run else f": {attempt.score} of {attempt.max_score}"
            self.stdout.write(f"{attempt}{score}")
        verb = "would be graded" if dry_run else "graded"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(attempts)} overdue attempt{'s' if len(attempts) != 1 else ''} "
                f"{verb}."
            )
        )
