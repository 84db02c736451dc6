from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.quizzes.attempts import regrade
from portal.quizzes.models import Quiz


class Command(BaseCommand):
    help = "Grade every submitted attempt of a quiz again and report changed scores."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("quiz", help="The slug of the quiz's lesson.")

    def handle(self, *args: Any, **options: Any) -> None:
        quiz = Quiz.objects.filter(lesson__slug=options["quiz"]).first()
        if quiz is None:
            raise CommandError(f"The lesson {options['quiz']!r} has no quiz.")

        changes = regrade(quiz)

        for change in changes:
            attempt = change.attempt
            old = "ungraded" if change.old_score is None else f"{change.old_score:g}"
            self.stdout.write(
                f"attempt {attempt.pk} ({attempt.user}, number {attempt.number}):"
                f" {old} -> {change.new_score:g} of {attempt.max_score:g}"
            )
        count = len(changes)
        self.stdout.write(
            self.style.SUCCESS(
                f"Regraded {quiz.lesson.slug}: {count} score{'s' if count != 1 else ''}"
                " changed."
            )
        )
