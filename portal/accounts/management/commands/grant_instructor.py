from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from portal.accounts.roles import INSTRUCTORS, grant_instructor, is_instructor


class Command(BaseCommand):
    help = (
        "Make an existing account an instructor by adding it to the Instructors group."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The account to make an instructor.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the account and report what would change, saving nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(
                f"No account is named {username!r}; it must sign up (or be created in "
                "the admin) first."
            ) from None

        if options["dry_run"]:
            state = "is already" if is_instructor(user) else "would become"
            self.stdout.write(
                f"{username} {state} an instructor (dry run, nothing saved)."
            )
            return

        with transaction.atomic():
            granted = grant_instructor(user)
        if granted:
            self.stdout.write(
                self.style.SUCCESS(f"{username} is now an instructor ({INSTRUCTORS}).")
            )
        else:
            self.stdout.write(f"{username} is already an instructor; nothing changed.")
