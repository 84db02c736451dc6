from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from portal.accounts.roles import INSTRUCTORS, is_instructor

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_migration_creates_the_instructors_group_with_permissions() -> None:
    group = Group.objects.get(name=INSTRUCTORS)

    codenames = set(group.permissions.values_list("codename", flat=True))

    assert codenames == {"view_learner_progress", "manage_classes"}


def test_grant_instructor_makes_an_instructor(learner: User) -> None:
    output = run("grant_instructor", "alice")

    assert "alice is now an instructor" in output
    assert is_instructor(learner)
    assert learner.has_perm("accounts.view_learner_progress")


def test_grant_instructor_twice_changes_nothing(instructor: User) -> None:
    output = run("grant_instructor", "charlie")

    assert "already an instructor" in output
    assert instructor.groups.count() == 1


def test_grant_instructor_dry_run_saves_nothing(learner: User) -> None:
    output = run("grant_instructor", "alice", "--dry-run")

    assert "would become an instructor" in output
    assert not is_instructor(learner)


def test_grant_instructor_names_an_unknown_user() -> None:
    with pytest.raises(CommandError, match="No account is named 'nobody'"):
        run("grant_instructor", "nobody")


def test_demo_accounts_exist_only_with_debug(settings: Settings) -> None:
    settings.DEBUG = False

    output = run("create_demo_accounts")

    assert "DEBUG is off" in output
    assert not User.objects.exists()


def test_demo_accounts_are_created_once_with_the_printed_passwords(
    settings: Settings,
) -> None:
    settings.DEBUG = True
    run("create_demo_accounts")

    output = run("create_demo_accounts", "--base-url", "http://localhost:9000/")

    assert "sign in at http://localhost:9000/accounts/login/" in output
    assert "username 'learner'  password 'learn-incidents'" in output
    assert User.objects.count() == 2
    learner = User.objects.get(username="learner")
    instructor = User.objects.get(username="instructor")
    assert learner.check_password("learn-incidents")
    assert instructor.check_password("teach-incidents")
    assert not is_instructor(learner)
    assert is_instructor(instructor)
