from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from portal.accounts.models import Profile
from portal.accounts.roles import grant_instructor

# Published in README.md and printed by `make run`: they exist only with DEBUG on.
DEMO_ACCOUNTS = [
    ("learner", "learn-incidents", "Demo Learner", False),
    ("instructor", "teach-incidents", "Demo Instructor", True),
]


class Command(BaseCommand):
    help = "Create a demo learner and a demo instructor, only when DEBUG is on."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the portal is served, for the sign-in link that is printed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off, so no demo accounts were created.")
            return

        User = get_user_model()
        with transaction.atomic():
            for username, password, display_name, instructor in DEMO_ACCOUNTS:
                user, created = User.objects.get_or_create(username=username)
                # Reset the password every time, so the printed one always works.
                if created or not user.check_password(password):
                    user.set_password(password)
                    user.save(update_fields=["password"])
                Profile.objects.get_or_create(
                    user=user, defaults={"display_name": display_name}
                )
                if instructor:
                    grant_instructor(user)

        sign_in = options["base_url"].rstrip("/") + "/accounts/login/"
        self.stdout.write(f"Demo accounts (DEBUG only), sign in at {sign_in}")
        for username, password, _, instructor in DEMO_ACCOUNTS:
            role = "instructor" if instructor else "learner"
            self.stdout.write(
                f"  {role:<10} username {username!r}  password {password!r}"
            )
