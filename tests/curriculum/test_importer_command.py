"""`manage.py import_lesson`: validate every file, then write every folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

FIXTURES = Path(__file__).parent / "fixtures"
SEED = "seed/000_b9387c81652d547f.txt"
FOLDER = "04-incident-management-on-call-and-escalation"


@pytest.fixture(autouse=True)
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the fixtures folder so that files are named as the author gives them."""
    monkeypatch.chdir(FIXTURES)


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_lesson", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_it_writes_the_lesson_folder_and_a_curriculum(tmp_path: Path) -> None:
    out, err = _run(SEED, "--into", str(tmp_path))

    lesson = yaml.safe_load((tmp_path / FOLDER / "lesson.yaml").read_text("utf-8"))
    assert lesson["slug"] == "incident-management-on-call-and-escalation"
    assert lesson["source"] == SEED
    assert (tmp_path / "curriculum.yaml").read_text("utf-8") == (
        f"lessons:\n  - {FOLDER}\n"
    )
    assert f"{SEED}:1: split 'IntermediateLesson 4'" in out
    assert (
        f"{SEED}:27: restored lost placeholders (<pod> as the pod that logs needs; "
        "<namespace> as the value of -n): `kubectl logs  -n  --previous` -> "
        "`kubectl logs <pod> -n <namespace> --previous`"
    ) in out
    assert f"Wrote {tmp_path / FOLDER / 'lesson.yaml'}" in out
    assert err == ""


def test_it_writes_into_lessons_dir_by_default(tmp_path: Path, settings) -> None:
    settings.LESSONS_DIR = tmp_path

    _run(SEED)

    assert (tmp_path / FOLDER / "lesson.yaml").is_file()


def test_it_prints_guesses_as_warnings_on_stderr(tmp_path: Path) -> None:
    out, err = _run("lessons/beginner_07_services.txt", "--into", str(tmp_path))

    assert "lessons/beginner_07_services.txt:35: warning: could not tell" in err
    assert "warning:" not in out


def test_it_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    existing = tmp_path / FOLDER / "lesson.yaml"
    existing.parent.mkdir()
    existing.write_text("slug: hand-edited\n", encoding="utf-8")

    with pytest.raises(CommandError, match="use --force to replace it"):
        _run(SEED, "--into", str(tmp_path))

    assert existing.read_text("utf-8") == "slug: hand-edited\n"
    assert not (tmp_path / "curriculum.yaml").exists()


def test_it_overwrites_with_force(tmp_path: Path) -> None:
    existing = tmp_path / FOLDER / "lesson.yaml"
    existing.parent.mkdir()
    existing.write_text("slug: hand-edited\n", encoding="utf-8")

    out, _ = _run(SEED, "--into", str(tmp_path), "--force")

    assert "incident-management-on-call-and-escalation" in existing.read_text("utf-8")
    assert f"Replaced {existing}" in out


def test_dry_run_prints_the_yaml_and_writes_nothing(tmp_path: Path) -> None:
    out, _ = _run(SEED, "--into", str(tmp_path), "--dry-run")

    assert _tree(tmp_path) == []
    assert f"would write {tmp_path / FOLDER / 'lesson.yaml'} (dry run)" in out
    assert "  - command: kubectl describe pod <pod> -n <namespace>\n" in out
    assert f"{SEED}:26: restored lost placeholders" in out


def test_it_writes_nothing_when_any_file_is_refused(tmp_path: Path) -> None:
    files = [SEED, "broken/no_title.txt", "broken/not_utf8.txt", "broken/empty.txt"]

    with pytest.raises(CommandError) as refused:
        _run(*files, "--into", str(tmp_path))

    message = str(refused.value)
    assert message.startswith("Nothing was imported (3 problems):")
    assert "broken/no_title.txt:3: expected the lesson title" in message
    assert "broken/not_utf8.txt:3: byte 0xe9 is not UTF-8" in message
    assert "broken/empty.txt:1: the file is empty" in message
    assert _tree(tmp_path) == []


def test_it_refuses_two_files_making_the_same_folder(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="makes the same folder"):
        _run(SEED, SEED, "--into", str(tmp_path))

    assert _tree(tmp_path) == []


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="missing.txt: cannot be read"):
        _run("missing.txt", "--into", str(tmp_path))


def test_it_leaves_an_existing_curriculum_alone_and_says_what_to_add(
    tmp_path: Path,
) -> None:
    curriculum = tmp_path / "curriculum.yaml"
    curriculum.write_text("lessons:\n  - 01-basics\n", encoding="utf-8")

    out, _ = _run(SEED, "--into", str(tmp_path))

    assert curriculum.read_text("utf-8") == "lessons:\n  - 01-basics\n"
    assert f"Add {FOLDER} to {curriculum}" in out


def test_it_imports_several_files_in_one_call(tmp_path: Path) -> None:
    lessons = sorted(str(p.relative_to(FIXTURES)) for p in FIXTURES.glob("lessons/*"))

    _run(SEED, *lessons, "--into", str(tmp_path))

    listed = yaml.safe_load((tmp_path / "curriculum.yaml").read_text("utf-8"))
    assert listed["lessons"] == [
        "02-what-an-incident-is",
        FOLDER,
        "05-running-the-incident-bridge",
        "07-services-statefulsets-and-nodes-in-an-outage",
        "12-capacity-planning-under-load",
    ]
