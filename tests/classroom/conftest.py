"""The classroom cast: Charlie teaches Alice; Dana teaches Bob in another cohort."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from portal.classroom.models import Cohort
from tests.classroom.builders import make_cohort


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


@pytest.fixture
def cohort(instructor: User, learner: User) -> Cohort:
    """Charlie's cohort, code NIGHT123, with Alice as its learner."""
    cohort = make_cohort(instructor, [learner])
    Cohort.objects.filter(pk=cohort.pk).update(code="NIGHT123")
    cohort.refresh_from_db()
    return cohort


@pytest.fixture
def other_cohort(other_instructor: User, other_learner: User) -> Cohort:
    """Dana's cohort, code DAYS4567, with Bob as its learner."""
    cohort = make_cohort(other_instructor, [other_learner], name="Day shift")
    Cohort.objects.filter(pk=cohort.pk).update(code="DAYS4567")
    cohort.refresh_from_db()
    return cohort
