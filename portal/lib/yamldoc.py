"""Read YAML content files safely while remembering where every value came from.

The file is parsed with PyYAML's safe loader only. Next to the plain data it keeps, for every
key path, the line the value starts on and, for scalars, the text exactly as written, so that
a schema can report `lesson.yaml:12` and can keep `no` or `12:30` as the text the author typed
instead of the boolean or number YAML 1.1 would make of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

KeyPath = tuple[str | int, ...]

# Content files are small text; anything near this size is a mistake or an attack.
MAX_FILE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, located for its author."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ContentError(Exception):
    """Raised with every problem found in one or more content files."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class Scalar:
    """How a scalar was written: its text, and whether it was quoted or a block."""

    text: str
    plain: bool


@dataclass
class YamlDocument:
    path: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    scalars: dict[KeyPath, Scalar] = field(default_factory=dict)

    def line(self, key_path: KeyPath) -> int | None:
        """Return the line of the value at key_path, or of its nearest parent."""
        while True:
            if key_path in self.lines:
                return self.lines[key_path]
            if not key_path:
                return None
            key_path = key_path[:-1]


def read_yaml(path: Path, display_path: str | None = None) -> YamlDocument:
    """Parse one YAML file; raise ContentError naming the file and line on bad input."""
    shown = display_path or str(path)
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise ContentError(
            [Problem(shown, None, f"is larger than {MAX_FILE_BYTES // 1024} KiB")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ContentError(
            [Problem(shown, line, f"is not UTF-8 text (byte {error.start})")]
        ) from None
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> YamlDocument:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        document = YamlDocument(path=shown, data=None)
        problems: list[Problem] = []
        if node is not None:
            document.data = _build(node, (), loader, document, problems, set())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        raise ContentError(
            [Problem(shown, line, f"is not valid YAML: {error.problem}")]
        ) from None
    except yaml.YAMLError as error:
        raise ContentError(
            [Problem(shown, None, f"is not valid YAML: {error}")]
        ) from None
    except RecursionError:
        raise ContentError([Problem(shown, None, "is nested too deeply")]) from None
    finally:
        loader.dispose()

    if problems:
        raise ContentError(problems)
    return document


def _build(
    node: yaml.Node,
    key_path: KeyPath,
    loader: yaml.SafeLoader,
    document: YamlDocument,
    problems: list[Problem],
    seen: set[int],
) -> Any:
    """Turn a node into plain data, recording lines and scalars by key path.

    Mapping keys are always the text written in the file, so `no:` or `on:` as a key stays a
    string key instead of becoming a boolean.
    """
    document.lines[key_path] = node.start_mark.line + 1
    if id(node) in seen:
        # An alias (*name) repeats a node; expanding aliases of aliases can turn a
        # few lines into billions of values, so content files may not use them.
        raise ContentError(
            [
                Problem(
                    document.path,
                    document.line(key_path[:-1]) if key_path else 1,
                    "repeats a value with an alias (*name); write the value out instead",
                )
            ]
        )
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(("binary", "set", "omap", "pairs")):
            raise _unsupported(node, document)
        document.scalars[key_path] = Scalar(node.value, plain=node.style is None)
        return loader.construct_object(node)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise _unsupported(node, document)
        return [
            _build(child, (*key_path, index), loader, document, problems, seen)
            for index, child in enumerate(node.value)
        ]
    if node.tag != "tag:yaml.org,2002:map":
        raise _unsupported(node, document)
    mapping: dict[str, Any] = {}
    for key_node, child in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
            problems.append(
                Problem(
                    document.path, line, "keys must be plain names, not << or lists"
                )
            )
            continue
        key = key_node.value
        if key in mapping:
            problems.append(
                Problem(document.path, line, f"the key '{key}' appears twice")
            )
        mapping[key] = _build(child, (*key_path, key), loader, document, problems, seen)
    return mapping


def _unsupported(node: yaml.Node, document: YamlDocument) -> ContentError:
    return ContentError(
        [
            Problem(
                document.path,
                node.start_mark.line + 1,
                f"is not valid YAML: the tag {node.tag} is not allowed in content",
            )
        ]
    )
