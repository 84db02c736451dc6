"""The schema of lessons/ and the reading of a lesson folder into validated data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portal.lib.schema import (
    Choice,
    Context,
    Field,
    Int,
    ListOf,
    Record,
    Schema,
    Slug,
    Tagged,
    Text,
    Title,
    validate,
)
from portal.lib.yamldoc import ContentError, KeyPath, Problem, read_yaml
from portal.quizzes.content import QUIZ, QUIZ_FILE
from portal.sandbox.engine.scenario import ScenarioError, format_path, load_scenario

CURRICULUM_FILE = "curriculum.yaml"
SCENARIOS_DIR = "scenarios"
LESSON_FILE = "lesson.yaml"

NOTE = Record({"title": Title(), "body": Text()})
NOTES = Field(ListOf(NOTE), required=False, default=[])
CALLOUT = Record(
    {
        "kind": Choice("warning", "note", "tip", "important", "caution"),
        "text": Text(),
    }
)
CALLOUTS = Field(ListOf(CALLOUT), required=False, default=[])
PROSE: dict[str, Field | Schema] = {
    "title": Title(),
    "body": Text(),
    "callouts": CALLOUTS,
    "notes": NOTES,
}
COMMAND = Record({"command": Text(), "notes": NOTES})
QUESTION = Record(
    {
        "key": Slug(),
        "text": Text(),
        "model_answer": Field(Text(), required=False, default=""),
    }
)
QUESTION_GROUP = Record(
    {
        "level": Choice("beginner", "intermediate", "scenario"),
        "title": Text(max_length=100),
        "questions": ListOf(QUESTION, min_items=1),
    }
)

SECTION = Tagged(
    {
        "simple": Record({"kind": Text(), **PROSE}),
        "technical": Record({"kind": Text(), **PROSE}),
        "visual": Record(
            {
                "kind": Text(),
                "title": Title(),
                "steps": ListOf(Text(max_length=200), min_items=2),
                "callouts": CALLOUTS,
                "notes": NOTES,
            }
        ),
        "commands": Record(
            {
                "kind": Text(),
                "title": Title(),
                "intro": Field(Text(), required=False, default=""),
                "commands": ListOf(COMMAND, min_items=1),
                "callouts": CALLOUTS,
                "notes": NOTES,
            }
        ),
        "scenario": Record({"kind": Text(), **PROSE}),
        "questions": Record(
            {
                "kind": Text(),
                "title": Title(),
                "groups": ListOf(QUESTION_GROUP, min_items=1, unique_by="level"),
                "callouts": CALLOUTS,
                "notes": NOTES,
            }
        ),
        "use_case": Record({"kind": Text(), **PROSE}),
        "summary": Record(
            {
                "kind": Text(),
                **PROSE,
                "next": Field(Text(), required=False, default=""),
            }
        ),
    }
)

COMPLETION = Record(
    {
        "sections": Field(Choice("all", "none"), required=False, default="all"),
        "quiz": Field(Choice("pass", "none"), required=False, default="none"),
        "scenarios": Field(ListOf(Slug()), required=False, default=[]),
    }
)


def _check_lesson(lesson: dict[str, Any], key_path: KeyPath, ctx: Context) -> None:
    kinds: set[str] = set()
    question_keys: set[str] = set()
    for index, section in enumerate(lesson["sections"]):
        if section["kind"] in kinds:
            ctx.fail(
                ("sections", index, "kind"),
                f"sections[{index}]: a lesson has at most one '{section['kind']}' section",
            )
        kinds.add(section["kind"])
        for group_index, group in enumerate(section.get("groups", [])):
            for question_index, question in enumerate(group["questions"]):
                if question["key"] in question_keys:
                    ctx.fail(
                        (
                            "sections",
                            index,
                            "groups",
                            group_index,
                            "questions",
                            question_index,
                            "key",
                        ),  # fmt: skip
                        f"the question key {question['key']!r} is used twice",
                    )
                question_keys.add(question["key"])


LESSON = Record(
    {
        "slug": Slug(),
        "title": Title(),
        "level": Choice("beginner", "intermediate", "advanced"),
        "number": Int(minimum=1, maximum=999),
        "summary": Field(Text(), required=False, default=""),
        "source": Field(Text(max_length=300), required=False, default=""),
        "completion": Field(
            COMPLETION,
            required=False,
            default={"sections": "all", "quiz": "none", "scenarios": []},
        ),
        "sections": ListOf(SECTION, min_items=1),
    },
    check=_check_lesson,
)

CURRICULUM = Record(
    {
        "lessons": ListOf(
            Text(r"[A-Za-z0-9._-]+", "a folder name", max_length=200),
            min_items=1,
            unique=True,
        )
    }
)


@dataclass(frozen=True)
class LessonContent:
    folder: str
    position: int
    data: dict[str, Any]
    quiz: dict[str, Any] | None = None
    scenarios: tuple[ScenarioContent, ...] = ()
    # Where each quiz question is written, for problems found while loading.
    quiz_path: str = ""
    quiz_key_lines: dict[str, int | None] = field(default_factory=dict)


@dataclass(frozen=True)
class ScenarioContent:
    slug: str
    title: str
    data: dict[str, Any]


def read_curriculum(lessons_dir: Path) -> list[LessonContent]:
    """Read and validate every lesson named by curriculum.yaml; raise with all problems."""
    index_path = lessons_dir / CURRICULUM_FILE
    if not index_path.is_file():
        raise ContentError([Problem(str(index_path), None, "the file is missing")])
    index_document = read_yaml(index_path, _shown(index_path, lessons_dir))
    index = validate(CURRICULUM, index_document)

    problems: list[Problem] = []
    lessons: list[LessonContent] = []
    seen_slugs: dict[str, str] = {}
    for position, folder in enumerate(index["lessons"]):
        path = lessons_dir / folder / LESSON_FILE
        shown = _shown(path, lessons_dir)
        if not path.is_file():
            problems.append(
                Problem(
                    _shown(index_path, lessons_dir),
                    index_document.line(("lessons", position)),
                    f"lists the folder '{folder}', which has no {LESSON_FILE}",
                )
            )
            continue
        try:
            document = read_yaml(path, shown)
            data = validate(LESSON, document)
            quiz, quiz_key_lines = _read_quiz(path.parent / QUIZ_FILE, lessons_dir)
            scenarios = _read_scenarios(path.parent / SCENARIOS_DIR, lessons_dir)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if data["slug"] in seen_slugs:
            problems.append(
                Problem(
                    shown,
                    document.line(("slug",)),
                    f"the slug '{data['slug']}' is already used by "
                    f"{seen_slugs[data['slug']]}",
                )
            )
        seen_slugs[data["slug"]] = shown
        known = {scenario.slug for scenario in scenarios}
        for index, slug in enumerate(data["completion"]["scenarios"]):
            if slug not in known:
                problems.append(
                    Problem(
                        shown,
                        document.line(("completion", "scenarios", index)),
                        f"completion.scenarios[{index}]: the lesson has no scenario "
                        f"'{slug}' (expected a file {SCENARIOS_DIR}/{slug}.yaml)",
                    )
                )
        if data["completion"]["quiz"] == "pass" and quiz is None:
            problems.append(
                Problem(
                    shown,
                    document.line(("completion", "quiz")),
                    f"completion.quiz: the lesson has no {QUIZ_FILE} to pass",
                )
            )
        lessons.append(
            LessonContent(
                folder=folder,
                position=position,
                data=data,
                quiz=quiz,
                scenarios=scenarios,
                quiz_path=_shown(path.parent / QUIZ_FILE, lessons_dir),
                quiz_key_lines=quiz_key_lines,
            )
        )
    if problems:
        raise ContentError(problems)
    return lessons


def unlisted_folders(lessons_dir: Path, lessons: list[LessonContent]) -> list[str]:
    """Folders holding a lesson that curriculum.yaml does not list (they are not loaded)."""
    listed = {lesson.folder for lesson in lessons}
    return sorted(
        path.parent.name
        for path in lessons_dir.glob(f"*/{LESSON_FILE}")
        if path.parent.name not in listed
    )


def _read_quiz(
    path: Path, lessons_dir: Path
) -> tuple[dict[str, Any] | None, dict[str, int | None]]:
    """Return the validated quiz and the line of each question's `kind`."""
    if not path.is_file():
        return None, {}
    document = read_yaml(path, _shown(path, lessons_dir))
    quiz: dict[str, Any] = validate(QUIZ, document)
    lines = {
        question["key"]: document.line(("questions", index, "kind"))
        for index, question in enumerate(quiz["questions"])
    }
    return quiz, lines


def _read_scenarios(folder: Path, lessons_dir: Path) -> tuple[ScenarioContent, ...]:
    """Validate each scenario with the engine's own rules, located by file and line."""
    scenarios: list[ScenarioContent] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        shown = _shown(path, lessons_dir)
        try:
            document = read_yaml(path, shown)
            scenario = load_scenario(document.data)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        except ScenarioError as error:
            problems.extend(
                Problem(
                    shown, document.line(key_path), f"{format_path(key_path)}: {text}"
                )
                for key_path, text in error.problems
            )
            continue
        if scenario.slug != path.stem:
            problems.append(
                Problem(
                    shown,
                    document.line(("slug",)),
                    f"the slug '{scenario.slug}' must match the file name '{path.stem}'",
                )
            )
        scenarios.append(ScenarioContent(scenario.slug, scenario.title, document.data))
    if problems:
        raise ContentError(problems)
    return tuple(scenarios)


def _shown(path: Path, lessons_dir: Path) -> str:
    """Name a file relative to the folder above lessons/, as authors see it."""
    try:
        return str(path.relative_to(lessons_dir.parent))
    except ValueError:
        return str(path)
