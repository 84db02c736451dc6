"""The YAML the importer writes: readable, unfolded, and loading back unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portal.curriculum.importer.writer import (
    PlannedFile,
    dump_yaml,
    plan_curriculum,
    write_files,
)


@pytest.mark.parametrize(
    "text",
    ["no", "on", "yes", "off", "12:30", "1:30", "0o17", "null", "~", "true", "4"],
)
def test_it_writes_yaml_lookalikes_so_they_load_back_as_text(text: str) -> None:
    dumped = dump_yaml({"text": text})

    assert yaml.safe_load(dumped) == {"text": text}
    assert dumped != f"text: {text}\n"


def test_it_writes_multi_line_text_as_a_block() -> None:
    data = {"body": "First paragraph.\n\nSecond paragraph."}

    dumped = dump_yaml(data)

    assert dumped == "body: |-\n  First paragraph.\n\n  Second paragraph.\n"
    assert yaml.safe_load(dumped) == data


def test_it_never_folds_long_lines() -> None:
    sentence = "Incident response quality is measured through MTTD, MTTA and MTTR. " * 6
    data = {"body": sentence.strip()}

    dumped = dump_yaml(data)

    assert dumped.count("\n") == 1
    assert yaml.safe_load(dumped) == data


def test_it_keeps_key_order_unicode_and_indents_lists() -> None:
    data = {"slug": "z", "title": "Café • on-call", "sections": [{"kind": "visual"}]}

    dumped = dump_yaml(data)

    assert dumped == ("slug: z\ntitle: Café • on-call\nsections:\n  - kind: visual\n")


def test_it_plans_a_curriculum_only_when_there_is_none(tmp_path: Path) -> None:
    planned = plan_curriculum(tmp_path, ["07-b", "04-a"])
    (tmp_path / "curriculum.yaml").write_text("lessons: []\n", encoding="utf-8")

    again = plan_curriculum(tmp_path, ["07-b"])

    assert planned is not None
    assert planned.text == "lessons:\n  - 04-a\n  - 07-b\n"
    assert again is None


def test_it_writes_files_creating_their_folder(tmp_path: Path) -> None:
    path = tmp_path / "04-x" / "lesson.yaml"

    write_files([PlannedFile(path, "slug: x\n", replaces=False)])

    assert path.read_text(encoding="utf-8") == "slug: x\n"
    assert [p.name for p in path.parent.iterdir()] == ["lesson.yaml"]
