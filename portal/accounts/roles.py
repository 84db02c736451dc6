"""Roles: every account is a learner; instructors are members of one group."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.contrib.contenttypes.models import ContentType

INSTRUCTORS = "Instructors"

# (app label, model, codename) of every permission the instructor group holds.
INSTRUCTOR_PERMISSIONS = [
    ("accounts", "profile", "view_learner_progress"),
    ("accounts", "profile", "manage_classes"),
]


def instructors_group() -> Group:
    """The instructor group with its permissions, created if a reset database lost it."""
    group, _ = Group.objects.get_or_create(name=INSTRUCTORS)
    permissions = []
    for app_label, model, codename in INSTRUCTOR_PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=model
        )
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=codename,
            defaults={"name": codename.replace("_", " ").capitalize()},
        )
        permissions.append(permission)
    group.permissions.add(*permissions)
    return group


def grant_instructor(user: User) -> bool:
    """Make the user an instructor; return False when they already were one."""
    group = instructors_group()
    if group.user_set.filter(pk=user.pk).exists():
        return False
    group.user_set.add(user)
    return True


def is_instructor(user: User | AnonymousUser) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=INSTRUCTORS).exists()
