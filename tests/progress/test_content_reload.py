from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import User

from portal.curriculum.models import Lesson
from portal.progress.models import SectionRead
from portal.progress.services import mark_sections_read
from portal.progress.summary import learner_overview
from tests.progress.lessons import basics_text, load_lessons


def test_progress_survives_a_reload_that_adds_and_removes_a_section(
    learner: User, tmp_path: Path
) -> None:
    root = tmp_path / "lessons"
    load_lessons(root, {"01-basics": basics_text(technical=True)})
    lesson = Lesson.objects.get(slug="basics")
    mark_sections_read(learner, lesson, ["simple", "technical"])
    changed = basics_text(technical=True).replace(
        "  - kind: simple\n    title: ELI5 Explanation\n"
        "    body: Something broke; people fix it together.\n",
        "  - kind: summary\n    title: Summary\n    body: Roles, then comms.\n",
    )

    load_lessons(root, {"01-basics": changed})

    [status] = learner_overview(learner).lessons
    assert [section.kind for section in status.sections] == [
        "summary",
        "technical",
        "questions",
    ]
    assert status.read_count == 1
    assert status.percent == 33
    assert status.missing == ["Read: Summary, Questions"]
    assert set(SectionRead.objects.values_list("kind", flat=True)) == {
        "simple",
        "technical",
    }


def test_a_completed_lesson_stays_complete_when_a_section_is_added(
    learner: User, tmp_path: Path
) -> None:
    root = tmp_path / "lessons"
    load_lessons(root, {"01-basics": basics_text()})
    lesson = Lesson.objects.get(slug="basics")
    mark_sections_read(learner, lesson, ["simple", "questions"])

    load_lessons(root, {"01-basics": basics_text(technical=True)})

    [status] = learner_overview(learner).lessons
    assert status.state == "complete"
    assert status.read_count == 2
    assert status.missing == ["Read: Technical Explanation"]


def test_a_removed_section_never_counts_and_a_restored_one_counts_again(
    learner: User, tmp_path: Path
) -> None:
    root = tmp_path / "lessons"
    load_lessons(root, {"01-basics": basics_text(technical=True)})
    lesson = Lesson.objects.get(slug="basics")
    mark_sections_read(learner, lesson, ["technical"])
    load_lessons(root, {"01-basics": basics_text()})
    assert learner_overview(learner).lessons[0].read_count == 0

    load_lessons(root, {"01-basics": basics_text(technical=True)})

    assert learner_overview(learner).lessons[0].read_count == 1
