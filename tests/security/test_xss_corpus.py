"""Every vector of xss_vectors.txt, in every place that shows author or learner text.

Each test batches the whole corpus into one lesson, one quiz, one run or one class list,
then parses every page that shows it and checks that nothing in it can execute.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Sequence
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from portal.accounts.models import Profile
from portal.classroom.models import Cohort, Membership
from portal.quizzes.models import Attempt, Quiz
from portal.sandbox.models import Run
from tests.classroom.builders import assign, make_cohort
from tests.conftest import LESSONS_DIR

VECTORS_FILE = Path(__file__).with_name("xss_vectors.txt")
SCENARIO_FILE = next((LESSONS_DIR).glob("*/scenarios/checkout-incident.yaml"))
SLUG = "hostile"

URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster",
    "background", "srcset", "lowsrc", "dynsrc", "codebase", "cite", "ping", "srcdoc",
}  # fmt: skip
FORBIDDEN_TAGS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "style",
    "math", "maction", "animate", "set", "foreignobject", "marquee", "isindex",
    "keygen", "video", "audio", "source", "image", "handler", "listener", "x",
}  # fmt: skip
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")


def load_vectors() -> list[str]:
    lines = VECTORS_FILE.read_text(encoding="utf-8").splitlines()
    return [
        line.replace("{NUL}", "\x00").replace("{TAB}", "\t").replace("{NL}", "\n")
        for line in lines
        if line.strip() and not line.startswith("## ")
    ]


VECTORS = load_vectors()
# Lesson and quiz files refuse null characters: see the test of that below.
AUTHORED = [v for v in VECTORS if "\x00" not in v]


def _normal(text: str) -> str:
    return " ".join(text.replace("\x00", "").split())


def _one_line(vector: str) -> str:
    return _normal(vector) or "empty"


class Inspector(HTMLParser):
    """Collect everything in a page that a browser would run, and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self._inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        where = f"<{tag} {' '.join(f'{n}={v!r}' for n, v in attrs)}>"
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"forbidden element {where}")
        if tag == "script":
            self._inline_script = "nonce" not in values
            if "src" in values and not values["src"].startswith("/static/"):
                self.problems.append(f"script from outside /static/: {where}")
        if tag == "link" and not values.get("href", "").startswith("/static/"):
            self.problems.append(f"link outside /static/: {where}")
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.problems.append(f"meta refresh: {where}")
        for name, value in values.items():
            self._check_attribute(name, value, where)

    def _check_attribute(self, name: str, value: str, where: str) -> None:
        if name.startswith("on") or name.startswith("hx-on") or name == "style":
            self.problems.append(f"attribute {name} in {where}")
        if name in URL_ATTRIBUTES:
            scheme = "".join(c for c in value if c > " " and not c.isspace()).lower()
            if scheme.startswith(BAD_SCHEMES):
                self.problems.append(f"{name} with a script scheme in {where}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self._inline_script = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._inline_script = False

    def handle_data(self, data: str) -> None:
        if self._inline_script and data.strip():
            self.problems.append(f"inline script without a nonce: {data[:80]!r}")
        self.text.append(data)


def check(response: Any, visible: Sequence[str] = (), where: str = "") -> str:
    """Assert the page is harmless and shows each of `visible` as text; return it."""
    assert response.status_code == 200, (where, response.status_code)
    assert response["Content-Type"].startswith("text/html"), where
    html = response.content.decode()
    inspector = Inspector()
    inspector.feed(html)
    inspector.close()
    assert not inspector.problems, f"{where}:\n" + "\n".join(inspector.problems)
    text = _normal(" ".join(inspector.text))
    missing = [v for v in visible if _normal(v) not in text]
    assert not missing, f"{where} does not show as text: {missing[:5]}"
    return html


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _lesson_document() -> dict[str, Any]:
    titles = [v for v in AUTHORED if "\n" not in v and len(v) <= 150]
    return {
        "slug": SLUG,
        "title": f"Hostile {titles[0]}",
        "level": "beginner",
        "number": 1,
        "summary": " ".join(AUTHORED[:10]),
        "sections": [
            {
                "kind": "simple",
                "title": titles[1],
                "body": "\n\n".join(AUTHORED),
                "callouts": [{"kind": "warning", "text": v} for v in AUTHORED],
            },
            {
                "kind": "technical",
                "title": titles[2],
                "body": "\n".join(AUTHORED),
                "notes": [
                    {"title": t, "body": v}
                    for t, v in zip(titles, AUTHORED, strict=False)
                ],
            },
            {"kind": "visual", "title": titles[3], "steps": titles},
            {
                "kind": "commands",
                "title": titles[4],
                "intro": " ".join(AUTHORED[:20]),
                "commands": [
                    {"command": v, "notes": [{"title": titles[5], "body": v}]}
                    for v in AUTHORED
                ],
            },
            {
                "kind": "questions",
                "title": titles[6],
                "groups": [
                    {
                        "level": "beginner",
                        "title": titles[7][:100],
                        "questions": [
                            {"key": f"d{i}", "text": v, "model_answer": v}
                            for i, v in enumerate(AUTHORED)
                        ],
                    }
                ],
            },
            {
                "kind": "summary",
                "title": titles[8],
                "body": " ".join(AUTHORED[-20:]),
                "next": titles[9],
            },
        ],
    }


def _quiz_document() -> dict[str, Any]:
    questions: list[dict[str, Any]] = [
        {
            "key": f"q{i}",
            "kind": "single",
            "text": v,
            "explanation": v,
            "options": [
                {"key": "a", "text": v, "correct": True, "feedback": v},
                {"key": "b", "text": f"not {v}", "feedback": f"no {v}"},
            ],
        }
        for i, v in enumerate(AUTHORED)
    ]
    one_liners = [v for v in AUTHORED if "\n" not in v]
    questions += [
        {
            "key": "order",
            "kind": "ordering",
            "text": AUTHORED[0],
            "explanation": AUTHORED[1],
            "items": [{"key": f"i{i}", "text": v} for i, v in enumerate(AUTHORED[:12])],
        },
        {
            "key": "match",
            "kind": "matching",
            "text": AUTHORED[2],
            "explanation": AUTHORED[3],
            "pairs": [{"left": v, "right": f"r {v}"} for v in one_liners[:10]],
            "distractors": one_liners[10:14],
        },
        {
            "key": "tf",
            "kind": "truefalse",
            "text": AUTHORED[4],
            "answer": True,
            "explanation": AUTHORED[5],
            "feedback_true": AUTHORED[6],
            "feedback_false": AUTHORED[7],
        },
        {
            "key": "num",
            "kind": "numeric",
            "text": AUTHORED[8],
            "unit": one_liners[9],
            "answers": [{"value": 25, "feedback": AUTHORED[10]}],
            "explanation": AUTHORED[11],
        },
        {
            "key": "open",
            "kind": "open",
            "text": AUTHORED[12],
            "model_answer": AUTHORED[13],
            "explanation": AUTHORED[14],
        },
    ]
    for n in range(SHORT_QUESTIONS):
        questions.append(
            {
                "key": f"short{n}",
                "kind": "short",
                "text": AUTHORED[n],
                "accepted": [{"text": AUTHORED[n], "feedback": AUTHORED[n + 1]}],
                "explanation": AUTHORED[n + 2],
            }
        )
    return {
        "title": f"Quiz {AUTHORED[0]}",
        "intro": "\n".join(AUTHORED),
        "feedback": "immediate",
        "questions": questions,
    }


# Typed short answers hold up to 500 characters: the corpus goes in this many of them.
SHORT_QUESTIONS = math.ceil(len(VECTORS) / 8)


def _write_lessons(root: Path, lesson: dict[str, Any], quiz: dict[str, Any]) -> Path:
    folder = root / "lessons" / "01-hostile"
    (folder / "scenarios").mkdir(parents=True)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 10_000}
    (folder / "lesson.yaml").write_text(yaml.safe_dump(lesson, **dump))
    (folder / "quiz.yaml").write_text(yaml.safe_dump(quiz, **dump))
    shutil.copy(SCENARIO_FILE, folder / "scenarios")
    (root / "lessons" / "curriculum.yaml").write_text("lessons:\n  - 01-hostile\n")
    return root / "lessons"


@pytest.fixture
def hostile(tmp_path: Path, db: None) -> None:
    """Load one lesson, its quiz and the checkout scenario, all full of vectors."""
    lessons = _write_lessons(tmp_path, _lesson_document(), _quiz_document())

    call_command("load_curriculum", lessons_dir=lessons, verbosity=0)


@pytest.fixture
def cohort(hostile: None, instructor: User, learner: User) -> Cohort:
    """Charlie's cohort NIGHT123 with Alice, which is assigned the hostile quiz."""
    cohort = make_cohort(instructor, [learner])
    Cohort.objects.filter(pk=cohort.pk).update(code="NIGHT123")
    cohort.refresh_from_db()
    assign(cohort, Quiz.objects.get(), timezone.now() + timedelta(days=3))
    return cohort


def test_lesson_text_renders_harmless(
    hostile: None, client: Client, learner_client: Client
) -> None:
    steps = [v for v in AUTHORED if "\n" not in v and len(v) <= 150]

    check(client.get("/"), where="home")
    check(client.get(f"/lessons/{SLUG}/"), visible=steps, where="lesson, anonymous")
    check(learner_client.get(f"/lessons/{SLUG}/"), where="lesson, learner")


def test_discussion_answers_render_harmless_to_learner_and_instructor(
    hostile: None, cohort: Cohort, learner_client: Client, instructor_client: Client
) -> None:
    # Null characters in answers are test_bad_input's business.
    for i, vector in enumerate(AUTHORED):
        learner_client.post(f"/lessons/{SLUG}/discussion/d{i}/", {"text": vector})

    check(learner_client.get(f"/lessons/{SLUG}/"), visible=AUTHORED, where="lesson")
    check(
        instructor_client.get("/classes/NIGHT123/grading/"),
        visible=AUTHORED,
        where="grading queue",
    )
    check(
        instructor_client.get(f"/classes/NIGHT123/learners/{cohort_learner(cohort)}/"),
        where="learner detail",
    )


def cohort_learner(cohort: Cohort) -> int:
    return Membership.objects.get(cohort=cohort, role="learner").user_id


def _typed_answers() -> dict[str, str]:
    posted = {
        f"short{n}": "\n".join(chunk) for n, chunk in enumerate(_chunks(VECTORS, 8))
    }
    posted["open"] = "\n".join(VECTORS)
    posted["num"] = VECTORS[0]
    return posted


def test_quiz_text_and_typed_answers_render_harmless(
    hostile: None, cohort: Cohort, learner_client: Client, instructor_client: Client
) -> None:
    quiz_url = f"/lessons/{SLUG}/quiz/"
    check(learner_client.get(quiz_url), where="quiz page")
    learner_client.post(f"{quiz_url}attempts/")
    attempt = Attempt.objects.get()
    attempt_url = f"{quiz_url}attempts/{attempt.pk}/"

    check(learner_client.get(attempt_url), where="attempt page")
    learner_client.post(attempt_url, _typed_answers())
    learner_client.post(f"{attempt_url}submit/")
    review = learner_client.get(f"{attempt_url}review/")

    typed = [v for v in VECTORS if "\x00" not in v]
    check(review, visible=typed, where="review page")
    check(
        instructor_client.get(f"/classes/NIGHT123/review/attempts/{attempt.pk}/"),
        visible=typed,
        where="instructor review",
    )
    check(instructor_client.get("/classes/NIGHT123/grading/"), where="grading queue")
    check(
        instructor_client.get(f"/classes/NIGHT123/statistics/quiz/{SLUG}/"),
        where="quiz statistics",
    )


def _status(impact: str, scope: str, action: str) -> dict[str, str]:
    fields = {"impact": impact, "scope": scope, "current_action": action}
    return {"kind": "status", "audience": "customer", "next_update": "23:59", **fields}


def test_status_updates_and_commands_render_harmless(
    hostile: None, cohort: Cohort, learner_client: Client, instructor_client: Client
) -> None:
    learner_client.post("/sandbox/checkout-incident/start/")
    run = Run.objects.get()
    actions = f"/runs/{run.pk}/actions/"
    for impact, scope, action in _chunks(VECTORS + VECTORS[: -len(VECTORS) % 3], 3):
        learner_client.post(actions, _status(impact, scope, action))
    for vector in VECTORS[-12:]:
        learner_client.post(actions, {"kind": "command", "command": vector})
    # Form fields refuse null characters, so those vectors are never stored.
    commands = [v for v in VECTORS[-12:] if "\x00" not in v]
    # The debrief's postmortem goes through Markdown, which may restyle quotes, emphasis
    # and code; the rest of each status update must be there word for word.
    updates = [
        _normal(v).rstrip(".")
        for v in VECTORS
        if v.isascii() and not set(v) & set("\x00'*`_[{")
    ]

    check(learner_client.get(f"/runs/{run.pk}/"), visible=commands, where="run")
    learner_client.post(f"/runs/{run.pk}/end/")
    debrief = learner_client.get(f"/runs/{run.pk}/debrief/")
    postmortem = learner_client.get(f"/runs/{run.pk}/postmortem.md")
    replay = instructor_client.get(f"/classes/NIGHT123/review/runs/{run.pk}/")

    assert postmortem["Content-Type"].startswith("text/markdown")
    assert postmortem["Content-Disposition"].startswith("attachment;")
    assert postmortem["X-Content-Type-Options"] == "nosniff"
    check(debrief, visible=updates, where="debrief")
    stored = list(run.actions.values_list("text", flat=True))
    check(replay, visible=stored, where="instructor replay")
    check(
        instructor_client.get(
            "/classes/NIGHT123/statistics/scenario/checkout-incident/"
        ),
        where="scenario statistics",
    )


def test_cohort_and_display_names_render_harmless(
    hostile: None,
    cohort: Cohort,
    learner: User,
    instructor: User,
    learner_client: Client,
    instructor_client: Client,
) -> None:
    quiz = Quiz.objects.get()
    due = timezone.now() + timedelta(days=3)
    names = [_one_line(v)[:120] for v in VECTORS]
    for name in names:
        hostile_cohort = make_cohort(instructor, [learner], name=name)
        assign(hostile_cohort, quiz, due)
    people = [_one_line(v)[:80] for v in VECTORS]
    for i, name in enumerate(people):
        user = User.objects.create_user(f"user{i}")
        Profile.objects.create(user=user, display_name=name)
        Membership.objects.create(cohort=cohort, user=user)
    Profile.objects.filter(user=learner).update(display_name=people[0])

    check(instructor_client.get("/classes/"), visible=names, where="instructor list")
    check(learner_client.get("/classes/"), visible=names, where="learner list")
    check(learner_client.get("/dashboard/"), where="dashboard")
    check(learner_client.get("/account/"), where="profile")
    check(instructor_client.get("/classes/NIGHT123/"), visible=people, where="cohort")
    check(instructor_client.get("/classes/NIGHT123/matrix/"), where="matrix")
    check(
        instructor_client.get(
            f"/classes/{Cohort.objects.get(name=names[1]).code}/matrix/"
        ),
        where="hostile cohort's matrix",
    )


def test_a_null_character_in_a_lesson_is_refused(tmp_path: Path, db: None) -> None:
    lesson = _lesson_document()
    lesson["sections"][0]["body"] = "Page the\x00 commander"
    lessons = _write_lessons(tmp_path, lesson, _quiz_document())

    with pytest.raises(CommandError, match="null character"):
        call_command("load_curriculum", lessons_dir=lessons, verbosity=0)


def test_the_corpus_is_big_enough_and_the_inspector_catches_each_family() -> None:
    caught = []
    for html in [
        "<script>x()</script>",
        '<img src=x onerror="y()">',
        '<a href=" jav&#x09;ascript:z()">',
        "<iframe></iframe>",
        '<meta http-equiv="Refresh" content="0">',
        '<p style="color:red">',
        '<form><button formaction="data:text/html,x">',
        '<div hx-on:click="x()">',
    ]:
        inspector = Inspector()
        inspector.feed(html)
        caught.append(bool(inspector.problems))

    assert len(VECTORS) >= 100
    assert all(caught)
