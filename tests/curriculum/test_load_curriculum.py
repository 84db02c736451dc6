from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from portal.curriculum.models import DiscussionQuestion, Lesson, Section
from tests.curriculum.lesson_files import minimal, write_curriculum

pytestmark = pytest.mark.django_db


def load(root: Path) -> None:
    call_command("load_curriculum", lessons_dir=root, verbosity=0)


def test_it_loads_lessons_sections_and_questions(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})

    load(root)

    lesson = Lesson.objects.get(slug="basics")
    assert lesson.title == "Basics"
    assert [s.kind for s in lesson.sections.all()] == ["simple", "questions"]
    assert [q.key for q in lesson.discussion_questions.all()] == [
        "first-question",
        "second-question",
    ]


def test_reloading_changes_nothing_and_keeps_primary_keys(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})
    load(root)
    before = (
        list(Lesson.objects.values_list("pk", flat=True)),
        list(Section.objects.values_list("pk", flat=True)),
        list(DiscussionQuestion.objects.values_list("pk", flat=True)),
    )

    load(root)

    after = (
        list(Lesson.objects.values_list("pk", flat=True)),
        list(Section.objects.values_list("pk", flat=True)),
        list(DiscussionQuestion.objects.values_list("pk", flat=True)),
    )
    assert after == before


def test_content_removed_from_the_files_is_retired_not_deleted(tmp_path: Path) -> None:
    root = write_curriculum(
        tmp_path / "lessons",
        {"01-basics": minimal(), "02-more": minimal("more", "More", 2)},
    )
    load(root)
    text = minimal().replace(
        "          - key: second-question\n            text: Who leads?\n", ""
    )
    write_curriculum(root, {"01-basics": text})

    load(root)

    assert Lesson.objects.get(slug="more").is_retired
    assert DiscussionQuestion.objects.get(
        lesson__slug="basics", key="second-question"
    ).is_retired
    assert not DiscussionQuestion.objects.get(
        lesson__slug="basics", key="first-question"
    ).is_retired
    assert Lesson.objects.count() == 2


def test_a_bad_file_leaves_the_database_untouched(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})
    load(root)
    broken = minimal(title="Renamed").replace("number: 1", "number: one")
    write_curriculum(root, {"01-basics": broken, "02-more": minimal("more", "More", 2)})

    with pytest.raises(CommandError) as caught:
        load(root)

    assert (
        "lessons/01-basics/lesson.yaml:4: number: expected a whole number, found 'one'"
        in str(caught.value)
    )
    assert "nothing was changed" in str(caught.value)
    assert list(Lesson.objects.values_list("slug", "title")) == [("basics", "Basics")]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("title: Basics", "title: no"),
            None,
        ),
        (
            ("title: Basics", "title: 12:30"),
            None,
        ),
        (
            ("title: Basics", "title:"),
            "lessons/01-basics/lesson.yaml:2: title: expected text, found an empty value",
        ),
        (
            ("level: beginner", "level: expert"),
            "lessons/01-basics/lesson.yaml:3: level: expected one of beginner, "
            "intermediate, advanced, found 'expert'",
        ),
        (
            ("  - kind: simple", "  - kind: eli5"),
            "lessons/01-basics/lesson.yaml:6: sections[0].kind: expected one of simple, "
            "technical, visual, commands, scenario, questions, use_case, summary, "
            "found 'eli5'",
        ),
        (
            ("key: second-question", "key: first-question"),
            "lessons/01-basics/lesson.yaml:17: the question key 'first-question' is "
            "used twice",
        ),
        (
            ("    body: Something", "    bdy: Something"),
            "lessons/01-basics/lesson.yaml:8: unknown key 'bdy' (expected: kind, title, "
            "body, callouts, notes)",
        ),
    ],
)
def test_it_validates_types_and_names_file_and_line(
    tmp_path: Path, change: tuple[str, str], expected: str | None
) -> None:
    root = write_curriculum(
        tmp_path / "lessons", {"01-basics": minimal().replace(*change)}
    )

    if expected is None:
        load(root)
        assert Lesson.objects.get().title == change[1].removeprefix("title: ")
        return
    with pytest.raises(CommandError) as caught:
        load(root)

    assert expected in str(caught.value)
    assert not Lesson.objects.exists()


def test_a_listed_folder_without_a_lesson_is_an_error(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})
    (root / "curriculum.yaml").write_text("lessons:\n  - 01-basics\n  - 09-missing\n")

    with pytest.raises(CommandError) as caught:
        load(root)

    assert (
        "lessons/curriculum.yaml:3: lists the folder '09-missing', which has no lesson.yaml"
        in str(caught.value)
    )


def test_two_lessons_cannot_share_a_slug(tmp_path: Path) -> None:
    root = write_curriculum(
        tmp_path / "lessons", {"01-basics": minimal(), "02-copy": minimal(number=2)}
    )

    with pytest.raises(CommandError) as caught:
        load(root)

    assert (
        "lessons/02-copy/lesson.yaml:1: the slug 'basics' is already used by "
        "lessons/01-basics/lesson.yaml" in str(caught.value)
    )


def test_dry_run_saves_nothing(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})

    call_command("load_curriculum", lessons_dir=root, dry_run=True, verbosity=0)

    assert not Lesson.objects.exists()


def test_a_broken_quiz_file_stops_the_whole_load(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})
    (root / "01-basics" / "quiz.yaml").write_text(
        "title: Quiz\nquestions:\n  - key: q1\n    kind: truefalse\n"
        "    text: Is it?\n    answer: yes\n    explanation: Because.\n"
    )

    with pytest.raises(CommandError) as caught:
        load(root)

    assert (
        "lessons/01-basics/quiz.yaml:6: questions[0].answer: expected true or false, "
        "found 'yes'" in str(caught.value)
    )
    assert not Lesson.objects.exists()


def test_a_broken_scenario_is_reported_with_file_and_line(lessons_copy: Path) -> None:
    scenario = (
        lessons_copy
        / "04-incident-management-on-call-and-escalation"
        / "scenarios"
        / "checkout-incident.yaml"
    )
    lines = scenario.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if "allocatable_memory:" in line)
    lines[number] = "      allocatable_memory: lots\n"
    scenario.write_text("".join(lines), encoding="utf-8")

    with pytest.raises(CommandError) as caught:
        load(lessons_copy)

    assert (
        "lessons/04-incident-management-on-call-and-escalation/scenarios/"
        f"checkout-incident.yaml:{number + 1}: cluster.nodes[0].allocatable_memory:"
        in str(caught.value)
    )
    assert not Lesson.objects.exists()


def test_an_empty_curriculum_is_refused_instead_of_retiring_everything(
    tmp_path: Path,
) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})
    load(root)
    (root / "curriculum.yaml").write_text("lessons: []\n")

    with pytest.raises(CommandError) as caught:
        load(root)

    assert "lessons/curriculum.yaml:1: lessons: expected at least 1 items" in str(
        caught.value
    )
    assert not Lesson.objects.get(slug="basics").is_retired


def test_a_folder_listed_twice_names_the_line(tmp_path: Path) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})
    (root / "curriculum.yaml").write_text("lessons:\n  - 01-basics\n  - 01-basics\n")

    with pytest.raises(CommandError) as caught:
        load(root)

    assert (
        "lessons/curriculum.yaml:3: lessons[1]: '01-basics' is used twice "
        "(first on line 2)" in str(caught.value)
    )


def test_a_completion_rule_must_name_the_lessons_own_scenarios_and_quiz(
    tmp_path: Path,
) -> None:
    text = minimal().replace(
        "number: 1\n",
        "number: 1\ncompletion:\n  quiz: pass\n  scenarios: [no-such-scenario]\n",
    )
    root = write_curriculum(tmp_path / "lessons", {"01-basics": text})

    with pytest.raises(CommandError) as caught:
        load(root)

    message = str(caught.value)
    assert (
        "lessons/01-basics/lesson.yaml:7: completion.scenarios[0]: the lesson has no "
        "scenario 'no-such-scenario' (expected a file scenarios/no-such-scenario.yaml)"
        in message
    )
    assert (
        "lessons/01-basics/lesson.yaml:6: completion.quiz: the lesson has no quiz.yaml "
        "to pass" in message
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("title: Basics", "title: " + "x" * 201),
            "lessons/01-basics/lesson.yaml:2: title: expected at most 200 characters, "
            "found 201",
        ),
        (
            ("number: 1", "number: 99999999999999999999999"),
            "lessons/01-basics/lesson.yaml:4: number: expected at most 999",
        ),
        (
            ("slug: basics", "slug: " + "a" * 121),
            "lessons/01-basics/lesson.yaml:1: slug: expected at most 120 characters, "
            "found 121",
        ),
    ],
)
def test_values_too_large_for_the_database_are_refused_by_the_validator(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    root = write_curriculum(
        tmp_path / "lessons", {"01-basics": minimal().replace(*change)}
    )

    with pytest.raises(CommandError) as caught:
        load(root)

    assert expected in str(caught.value)


def test_an_unlisted_lesson_folder_is_reported(tmp_path: Path, capsys) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})
    (root / "02-draft").mkdir()
    (root / "02-draft" / "lesson.yaml").write_text(minimal("draft", "Draft", 2))

    call_command("load_curriculum", lessons_dir=root)

    assert (
        "warning: the folder '02-draft' holds a lesson that curriculum.yaml does not "
        "list, so it was not loaded" in capsys.readouterr().out
    )
    assert not Lesson.objects.filter(slug="draft").exists()


def test_reloading_unchanged_files_reports_no_update(tmp_path: Path, capsys) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})
    load(root)
    capsys.readouterr()

    call_command("load_curriculum", lessons_dir=root)

    out = capsys.readouterr().out
    assert "updated" not in out
    assert "created" not in out
    assert "Nothing changed." in out


def test_reloading_a_changed_question_reports_just_that(tmp_path: Path, capsys) -> None:
    root = write_curriculum(tmp_path / "lessons", {"01-basics": minimal()})
    load(root)
    write_curriculum(
        root, {"01-basics": minimal().replace("Who leads?", "Who leads now?")}
    )

    call_command("load_curriculum", lessons_dir=root)

    lines = [line for line in capsys.readouterr().out.splitlines() if "updated" in line]
    assert lines == ["updated question basics/second-question"]
