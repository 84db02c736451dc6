"""Tiny generated data for the bench's smoke tests."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings

from bench.config import Sizes
from bench.generate import Generated, generate

TINY = Sizes(
    learners=6, attempts=12, runs=6, actions_per_run=4, assignments=3,
    statistics_learners=3,
)  # fmt: skip


@pytest.fixture
def data(curriculum: None, settings: Settings) -> Generated:
    settings.ROOT_URLCONF = "bench.urls"
    return generate(TINY)
