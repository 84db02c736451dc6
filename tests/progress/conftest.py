from __future__ import annotations

from pathlib import Path

import pytest

from portal.curriculum.models import Lesson
from tests.progress.lessons import basics_text, load_lessons


@pytest.fixture
def basics(db: None, tmp_path: Path) -> Lesson:
    """A small loaded lesson, complete once its two sections are read."""
    load_lessons(tmp_path / "lessons", {"01-basics": basics_text()})
    return Lesson.objects.get(slug="basics")
