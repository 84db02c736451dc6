"""Write lesson data as readable YAML into lesson folders.

Multi-line text becomes a `|` block, long lines are never folded, keys keep the order of
lessons/README.md, and text that YAML would read as something else (`no`, `on`, `12:30`)
is quoted, so what loads back is exactly the text that was written.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

logger = logging.getLogger(__name__)

LESSON_FILE = "lesson.yaml"
CURRICULUM_FILE = "curriculum.yaml"
_NO_FOLDING = 1_000_000
# PyYAML quotes what YAML 1.1 would read as another type; YAML 1.2 readers also take
# 0o17 for a number, so quote that form too.
_YAML12_OCTAL = re.compile(r"[-+]?0o[0-7]+")


class LessonDumper(yaml.SafeDumper):
    """SafeDumper with `|` blocks for multi-line text and lists indented under keys."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else "'" if _YAML12_OCTAL.fullmatch(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


LessonDumper.add_representer(str, _represent_text)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=LessonDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=_NO_FOLDING,
    )


@dataclass(frozen=True)
class PlannedFile:
    """A file the importer is about to write, and whether it replaces one."""

    path: Path
    text: str
    replaces: bool


def plan_lesson(into: Path, folder: str, data: dict[str, Any]) -> PlannedFile:
    path = into / folder / LESSON_FILE
    return PlannedFile(path, dump_yaml(data), path.exists())


def plan_curriculum(into: Path, folders: Iterable[str]) -> PlannedFile | None:
    """Plan a curriculum.yaml listing the folders, unless one exists already."""
    path = into / CURRICULUM_FILE
    if path.exists():
        return None
    return PlannedFile(path, dump_yaml({"lessons": sorted(folders)}), replaces=False)


def listed_in_curriculum(into: Path, folder: str) -> bool:
    """Tell whether an existing curriculum.yaml lists the folder."""
    try:
        index = yaml.safe_load((into / CURRICULUM_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return False
    lessons = index.get("lessons") if isinstance(index, dict) else None
    return isinstance(lessons, list) and folder in lessons


def write_files(files: Iterable[PlannedFile]) -> None:
    """Write each file through a temporary file, so none is ever left half written."""
    for planned in files:
        planned.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=planned.path.parent, prefix=".import-", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(planned.text)
            os.chmod(temporary, 0o644)
            os.replace(temporary, planned.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        logger.debug("Wrote %s", planned.path)
