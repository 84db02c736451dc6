"""A small schema language for content files, with errors that name file and line.

Each schema cleans one value of a YamlDocument: `Text` gives back the scalar exactly as it was
written (so `no` and `12:30` stay text), `Int` and `Bool` accept only real numbers and the words
true and false, and `Record` refuses unknown keys so that a typo never goes unnoticed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from portal.lib.yamldoc import ContentError, KeyPath, Problem, YamlDocument

# Numbers as people write them; YAML 1.1 would also read 1:30 as 90 and 0o17 as 15.
_INTEGER = re.compile(r"[-+]?[0-9]+")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


class Invalid(Exception):
    """Internal signal: the value at this path is wrong; the problem is already noted."""


@dataclass
class Context:
    document: YamlDocument
    problems: list[Problem]

    def fail(self, key_path: KeyPath, message: str) -> Invalid:
        self.problems.append(
            Problem(self.document.path, self.document.line(key_path), message)
        )
        return Invalid()


def _describe(key_path: KeyPath) -> str:
    parts: list[str] = []
    for part in key_path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else part)
    return "".join(parts) or "the file"


class Schema:
    def clean(self, value: Any, key_path: KeyPath, ctx: Context) -> Any:
        raise NotImplementedError


class Text(Schema):
    """Text exactly as written; refuses empty values, lists and mappings."""

    def __init__(
        self,
        pattern: str | None = None,
        hint: str = "",
        strip: bool = True,
        max_length: int = 20_000,
    ):
        self.pattern = re.compile(pattern) if pattern else None
        self.hint = hint
        self.strip = strip
        self.max_length = max_length

    def clean(self, value: Any, key_path: KeyPath, ctx: Context) -> str:
        scalar = ctx.document.scalars.get(key_path)
        where = _describe(key_path)
        if scalar is None or isinstance(value, list | dict):
            raise ctx.fail(key_path, f"{where}: expected text, found a list or mapping")
        text = scalar.text.strip() if self.strip else scalar.text
        if not text.strip() or (value is None and scalar.plain):
            raise ctx.fail(key_path, f"{where}: expected text, found an empty value")
        if len(text) > self.max_length:
            raise ctx.fail(
                key_path,
                f"{where}: expected at most {self.max_length} characters, "
                f"found {len(text)}",
            )
        if "\x00" in text:
            # PostgreSQL cannot store it, and no author means to write one.
            raise ctx.fail(key_path, f"{where}: found a null character (\\0)")
        if self.pattern and not self.pattern.fullmatch(text):
            raise ctx.fail(key_path, f"{where}: expected {self.hint}, found {text!r}")
        return text


class Slug(Text):
    def __init__(self, max_length: int = 120) -> None:
        super().__init__(
            r"[a-z0-9]+(?:-[a-z0-9]+)*",
            "a key of lowercase letters, digits and hyphens",
            max_length=max_length,
        )


def Title() -> Text:  # noqa: N802 - reads like the other schema types
    """Text that names something and is shown in headings and lists."""
    return Text(max_length=200)


class Choice(Text):
    def __init__(self, *options: str) -> None:
        super().__init__()
        self.options = options

    def clean(self, value: Any, key_path: KeyPath, ctx: Context) -> str:
        text = super().clean(value, key_path, ctx)
        if text not in self.options:
            expected = ", ".join(self.options)
            raise ctx.fail(
                key_path,
                f"{_describe(key_path)}: expected one of {expected}, found {text!r}",
            )
        return text


class Int(Schema):
    def __init__(self, minimum: int | None = None, maximum: int | None = None):
        self.minimum = minimum
        self.maximum = maximum

    def clean(self, value: Any, key_path: KeyPath, ctx: Context) -> int:
        where = _describe(key_path)
        found = ctx.document.scalars.get(key_path)
        if not (found and found.plain and _INTEGER.fullmatch(found.text)):
            shown = repr(found.text) if found else "a list or mapping"
            raise ctx.fail(key_path, f"{where}: expected a whole number, found {shown}")
        value = int(found.text)
        if self.minimum is not None and value < self.minimum:
            raise ctx.fail(key_path, f"{where}: expected at least {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            raise ctx.fail(key_path, f"{where}: expected at most {self.maximum}")
        return value


class Number(Schema):
    def clean(self, value: Any, key_path: KeyPath, ctx: Context) -> float:
        found = ctx.document.scalars.get(key_path)
        if not (found and found.plain and _NUMBER.fullmatch(found.text)):
            shown = repr(found.text) if found else "a list or mapping"
            raise ctx.fail(
                key_path, f"{_describe(key_path)}: expected a number, found {shown}"
            )
        return float(found.text)


class Bool(Schema):
    """Only the words true and false: YAML 1.1's yes, no, on and off are refused."""

    def clean(self, value: Any, key_path: KeyPath, ctx: Context) -> bool:
        scalar = ctx.document.scalars.get(key_path)
        if scalar is None or scalar.text.lower() not in ("true", "false"):
            shown = repr(scalar.text) if scalar else "a list or mapping"
            raise ctx.fail(
                key_path,
                f"{_describe(key_path)}: expected true or false, found {shown}",
            )
        return scalar.text.lower() == "true"


class ListOf(Schema):
    def __init__(
        self,
        item: Schema,
        min_items: int = 0,
        unique_by: str | None = None,
        unique: bool = False,
    ):
        self.item = item
        self.min_items = min_items
        self.unique_by = unique_by
        self.unique = unique

    def clean(self, value: Any, key_path: KeyPath, ctx: Context) -> list[Any]:
        where = _describe(key_path)
        if not isinstance(value, list):
            raise ctx.fail(key_path, f"{where}: expected a list")
        if len(value) < self.min_items:
            raise ctx.fail(
                key_path, f"{where}: expected at least {self.min_items} items"
            )
        cleaned: list[Any] = []
        failed = False
        for index, item in enumerate(value):
            try:
                cleaned.append(self.item.clean(item, (*key_path, index), ctx))
            except Invalid:
                failed = True
        if failed:
            raise Invalid()
        if self.unique_by or self.unique:
            self._check_unique(cleaned, key_path, ctx)
        return cleaned

    def _check_unique(self, items: list[Any], key_path: KeyPath, ctx: Context) -> None:
        seen: dict[Any, int] = {}
        for index, item in enumerate(items):
            item_path: KeyPath = (*key_path, index)
            key = item
            if self.unique_by:
                key = item.get(self.unique_by)
                item_path = (*item_path, self.unique_by)
            if key in seen:
                first_line = ctx.document.line((*key_path, seen[key]))
                raise ctx.fail(
                    item_path,
                    f"{_describe(item_path)}: {key!r} is used twice "
                    f"(first on line {first_line})",
                )
            seen[key] = index


@dataclass(frozen=True)
class Field:
    schema: Schema
    required: bool = True
    default: Any = None


class Record(Schema):
    """A mapping with known keys; unknown keys are errors, so typos are caught."""

    def __init__(
        self,
        fields: Mapping[str, Field | Schema],
        check: Callable[[dict[str, Any], KeyPath, Context], None] | None = None,
    ):
        self.fields = {
            name: spec if isinstance(spec, Field) else Field(spec)
            for name, spec in fields.items()
        }
        self.check = check

    def clean(self, value: Any, key_path: KeyPath, ctx: Context) -> dict[str, Any]:
        where = _describe(key_path)
        if not isinstance(value, dict):
            raise ctx.fail(key_path, f"{where}: expected a mapping of keys to values")
        failed = False
        for key in value:
            if key not in self.fields:
                known = ", ".join(self.fields)
                ctx.fail((*key_path, key), f"unknown key '{key}' (expected: {known})")
                failed = True
        cleaned: dict[str, Any] = {}
        for name, spec in self.fields.items():
            if name not in value:
                if spec.required:
                    ctx.fail(key_path, f"{where}: the key '{name}' is missing")
                    failed = True
                else:
                    cleaned[name] = spec.default
                continue
            try:
                cleaned[name] = spec.schema.clean(value[name], (*key_path, name), ctx)
            except Invalid:
                failed = True
        if failed:
            raise Invalid()
        if self.check:
            self.check(cleaned, key_path, ctx)
        return cleaned


class Tagged(Schema):
    """A mapping whose `kind` key chooses the record schema that applies."""

    def __init__(self, variants: Mapping[str, Record], tag: str = "kind"):
        self.variants = variants
        self.tag = tag

    def clean(self, value: Any, key_path: KeyPath, ctx: Context) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ctx.fail(key_path, f"{_describe(key_path)}: expected a mapping")
        kind = Choice(*self.variants).clean(
            value.get(self.tag, ""), (*key_path, self.tag), ctx
        )
        return self.variants[kind].clean(value, key_path, ctx)


def validate(schema: Schema, document: YamlDocument) -> Any:
    """Clean a whole document, or raise ContentError with every problem found."""
    problems: list[Problem] = []
    try:
        result = schema.clean(document.data, (), Context(document, problems))
    except Invalid:
        result = None
    if problems:
        raise ContentError(problems)
    return result
