"""Load a lesson's validated scenarios into the database; retire, never delete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from portal.curriculum.content import ScenarioContent
from portal.curriculum.models import Lesson
from portal.sandbox.models import Scenario

if TYPE_CHECKING:
    from portal.curriculum.loader import LoadReport


def load_scenarios(
    lesson: Lesson, scenarios: tuple[ScenarioContent, ...], report: LoadReport
) -> None:
    now = timezone.now()
    existing = {s.slug: s for s in Scenario.objects.filter(lesson=lesson)}
    for content in scenarios:
        scenario = existing.pop(content.slug, None)
        if scenario is None:
            scenario = Scenario.objects.filter(slug=content.slug).first()
        values = {
            "lesson": lesson,
            "title": content.title,
            "data": content.data,
            "is_retired": False,
            "loaded_at": now,
        }
        if scenario is None:
            Scenario.objects.create(slug=content.slug, **values)
            report.created.append(f"scenario {content.slug}")
            continue
        changed = scenario.data != content.data or scenario.is_retired
        for name, value in values.items():
            setattr(scenario, name, value)
        scenario.save()
        if changed:
            report.updated.append(f"scenario {content.slug}")
    for scenario in existing.values():
        if not scenario.is_retired:
            scenario.is_retired = True
            scenario.save(update_fields=["is_retired"])
            report.retired.append(f"scenario {scenario.slug}")
