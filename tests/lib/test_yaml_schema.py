from pathlib import Path

import pytest

from portal.lib.schema import (
    Bool,
    Choice,
    Field,
    Int,
    ListOf,
    Record,
    Slug,
    Text,
    validate,
)
from portal.lib.yamldoc import ContentError, parse_yaml, read_yaml

SCHEMA = Record(
    {
        "title": Text(),
        "count": Field(Int(minimum=1), required=False, default=1),
        "draft": Field(Bool(), required=False, default=False),
        "level": Field(Choice("beginner", "advanced"), required=False, default=""),
        "tags": Field(ListOf(Slug()), required=False, default=[]),
    }
)


def problems_of(text: str) -> list[str]:
    with pytest.raises(ContentError) as caught:
        validate(SCHEMA, parse_yaml(text, "lessons/x/lesson.yaml"))
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    "written", ["no", "on", "off", "yes", "12:30", "1:30", "1e3", "0o17", "~x"]
)
def test_it_keeps_text_exactly_as_written(written: str) -> None:
    document = parse_yaml(f"title: {written}\n", "x.yaml")

    cleaned = validate(SCHEMA, document)

    assert cleaned["title"] == written


def test_it_refuses_an_empty_text_value_with_file_and_line() -> None:
    problems = problems_of("count: 2\ntitle:\n")

    assert problems == [
        "lessons/x/lesson.yaml:2: title: expected text, found an empty value"
    ]


@pytest.mark.parametrize("written", ["~", "null", "''"])
def test_it_refuses_null_where_text_is_meant(written: str) -> None:
    problems = problems_of(f"title: {written}\n")

    assert problems == [
        "lessons/x/lesson.yaml:1: title: expected text, found an empty value"
    ]


@pytest.mark.parametrize("written", ["on", "yes", "no", "1", "maybe"])
def test_it_accepts_only_true_or_false_for_booleans(written: str) -> None:
    problems = problems_of(f"title: T\ndraft: {written}\n")

    assert problems == [
        f"lessons/x/lesson.yaml:2: draft: expected true or false, found '{written}'"
    ]


def test_it_refuses_a_number_written_as_text_or_time() -> None:
    problems = problems_of("title: T\ncount: 12:30\n")

    assert problems == [
        "lessons/x/lesson.yaml:2: count: expected a whole number, found '12:30'"
    ]


def test_it_reports_every_problem_at_once() -> None:
    problems = problems_of(
        "titel: T\ncount: 0\nlevel: expert\ntags: [ok, Not A Slug]\n"
    )

    assert problems == [
        "lessons/x/lesson.yaml:1: unknown key 'titel' (expected: title, count, draft, level, tags)",
        "lessons/x/lesson.yaml:1: the file: the key 'title' is missing",
        "lessons/x/lesson.yaml:2: count: expected at least 1",
        "lessons/x/lesson.yaml:3: level: expected one of beginner, advanced, found 'expert'",
        "lessons/x/lesson.yaml:4: tags[1]: expected a key of lowercase letters, digits "
        "and hyphens, found 'Not A Slug'",
    ]


def test_it_refuses_duplicate_keys() -> None:
    with pytest.raises(ContentError) as caught:
        parse_yaml("title: a\ntitle: b\n", "x.yaml")

    assert str(caught.value) == "x.yaml:2: the key 'title' appears twice"


def test_it_names_the_line_of_a_syntax_error() -> None:
    with pytest.raises(ContentError) as caught:
        parse_yaml("title: a\nlist: [1, 2\n", "x.yaml")

    assert str(caught.value).startswith("x.yaml:3: is not valid YAML")


def test_it_refuses_python_tags_because_it_only_loads_safely() -> None:
    with pytest.raises(ContentError) as caught:
        parse_yaml("title: !!python/object/apply:os.system ['true']\n", "x.yaml")

    assert "x.yaml:1: is not valid YAML" in str(caught.value)


def test_it_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "lesson.yaml"
    path.write_bytes(b"title: caf\xe9\n")

    with pytest.raises(ContentError) as caught:
        read_yaml(path, "lesson.yaml")

    assert str(caught.value) == "lesson.yaml:1: is not UTF-8 text (byte 10)"


def test_it_refuses_aliases_so_a_small_file_cannot_expand_without_bound() -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]\n"
        for previous, name in zip("abcdefg", "bcdefgh", strict=True)
    )

    with pytest.raises(ContentError) as caught:
        parse_yaml(laughs, "x.yaml")

    assert str(caught.value) == (
        "x.yaml:2: repeats a value with an alias (*name); write the value out instead"
    )


def test_it_refuses_nesting_too_deep_to_walk() -> None:
    with pytest.raises(ContentError) as caught:
        parse_yaml("[" * 5000 + "]" * 5000, "x.yaml")

    assert str(caught.value) == "x.yaml: is nested too deeply"


def test_it_refuses_a_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "lesson.yaml"
    path.write_text("title: " + "x" * (1024 * 1024) + "\n")

    with pytest.raises(ContentError) as caught:
        read_yaml(path, "lesson.yaml")

    assert str(caught.value) == "lesson.yaml: is larger than 1024 KiB"


def test_a_date_where_text_is_meant_stays_the_text_written() -> None:
    document = parse_yaml("title: 2024-01-01\n", "x.yaml")

    assert validate(SCHEMA, document)["title"] == "2024-01-01"


def test_text_longer_than_its_limit_is_refused() -> None:
    schema = Record({"title": Text(max_length=10)})

    with pytest.raises(ContentError) as caught:
        validate(schema, parse_yaml("title: twelve chars\n", "x.yaml"))

    assert str(caught.value) == (
        "x.yaml:1: title: expected at most 10 characters, found 12"
    )


def test_a_duplicated_list_entry_names_both_lines() -> None:
    schema = Record({"tags": ListOf(Slug(), unique=True)})

    with pytest.raises(ContentError) as caught:
        validate(schema, parse_yaml("tags:\n  - a\n  - b\n  - a\n", "x.yaml"))

    assert str(caught.value) == "x.yaml:4: tags[2]: 'a' is used twice (first on line 2)"
