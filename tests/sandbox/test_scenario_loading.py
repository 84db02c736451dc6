from pathlib import Path

import pytest
from django.core.management import call_command

from portal.sandbox.models import Scenario

pytestmark = pytest.mark.django_db

SCENARIO = (
    "04-incident-management-on-call-and-escalation/scenarios/checkout-incident.yaml"
)


def load(root: Path) -> None:
    call_command("load_curriculum", lessons_dir=root, verbosity=0)


def test_the_checkout_incident_loads_with_its_lesson(lessons_copy: Path) -> None:
    load(lessons_copy)

    scenario = Scenario.objects.get(slug="checkout-incident")
    assert scenario.lesson.slug == "incident-management-on-call-and-escalation"
    assert scenario.title == "The 2 AM checkout incident"
    assert scenario.data["start"] == "02:00"


def test_reloading_keeps_the_scenario_row(lessons_copy: Path) -> None:
    load(lessons_copy)
    first = Scenario.objects.get(slug="checkout-incident").pk

    load(lessons_copy)

    assert list(Scenario.objects.values_list("pk", flat=True)) == [first]


def test_a_scenario_removed_from_the_files_is_retired(lessons_copy: Path) -> None:
    load(lessons_copy)
    (lessons_copy / SCENARIO).unlink()
    lesson = lessons_copy / SCENARIO.split("/")[0] / "lesson.yaml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(
        text.replace("  scenarios:\n    - checkout-incident\n", ""), encoding="utf-8"
    )

    load(lessons_copy)

    assert Scenario.objects.get(slug="checkout-incident").is_retired
