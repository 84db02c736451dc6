"""Every URL of the portal, requested by every member of the cast, answers as expected.

The test walks the URLconf instead of listing URLs, so a new route fails here until its
arguments are in ARGUMENTS and its expected statuses are in EXPECTED.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlsafe_base64_encode
from pytest_django.fixtures import Settings

from tests.security.conftest import SECRET_ANSWER, SECRET_DISCUSSION, World

ROLES = ("anonymous", "learner", "other_learner", "instructor", "other_instructor")
CLIENTS = {
    "learner": "learner_client",
    "other_learner": "other_learner_client",
    "instructor": "instructor_client",
    "other_instructor": "other_instructor_client",
}

# The only namespace not walked: Django's admin guards its own URLs, and
# test_the_admin_turns_away_everyone_but_staff checks the door.
SKIPPED_NAMESPACE = "admin"

# A redirect to the sign-in page that returns to where the visitor was going.
LOGIN = "login"

# What each URL argument names in the world. A key "namespace:name:argument" wins over
# the bare argument name for that one route.
ARGUMENTS: dict[str, Callable[[World], Any]] = {
    "slug": lambda w: w.lesson.slug,
    "kind": lambda w: "simple",
    "key": lambda w: w.question.key,
    "question_key": lambda w: w.attempt.answers.earliest("position").question.key,
    "attempt_id": lambda w: w.attempt.pk,
    "run_id": lambda w: w.active_run.pk,
    "code": lambda w: w.cohort.code,
    "membership_id": lambda w: w.membership.pk,
    "user_id": lambda w: w.membership.user_id,
    "pk": lambda w: w.assignment.pk,
    "extension_id": lambda w: w.extension.pk,
    "answer_id": lambda w: w.open_answer.pk,
    "response_id": lambda w: w.discussion.pk,
    "uidb64": lambda w: urlsafe_base64_encode(str(w.membership.user_id).encode()),
    "token": lambda w: "set-password",
    "quizzes:review:attempt_id": lambda w: w.submitted_attempt.pk,
    "sandbox:scenario:slug": lambda w: w.scenario.slug,
    "sandbox:start-run:slug": lambda w: w.scenario.slug,
    "sandbox:debrief:run_id": lambda w: w.finished_run.pk,
    "sandbox:postmortem:run_id": lambda w: w.finished_run.pk,
    "classroom:review-attempt:attempt_id": lambda w: w.submitted_attempt.pk,
    "classroom:review-run:run_id": lambda w: w.finished_run.pk,
    "classroom:scenario-statistics:slug": lambda w: w.scenario.slug,
}

Statuses = dict[str, int | str]


def by_role(
    anonymous: int | str,
    learner: int | str,
    other_learner: int | str,
    instructor: int | str,
    other_instructor: int | str,
) -> Statuses:
    statuses = (anonymous, learner, other_learner, instructor, other_instructor)
    return dict(zip(ROLES, statuses, strict=True))


def everyone(status: int | str) -> Statuses:
    return by_role(status, status, status, status, status)


def signed_in(status: int | str) -> Statuses:
    """A page of the visitor's own: sign in first, then it is there for everyone."""
    return by_role(LOGIN, status, status, status, status)


def owner(status: int | str) -> Statuses:
    """Alice's own thing: the others get 404."""
    return by_role(LOGIN, status, 404, 404, 404)


def teacher(status: int | str) -> Statuses:
    """A page of Charlie's cohort: learners and Dana get 404."""
    return by_role(LOGIN, 404, 404, status, 404)


NOT_ALLOWED = everyone(405)
GUEST = by_role(200, 302, 302, 302, 302)

# Per URL name: the expected answer to GET, then to a POST with an empty body.
EXPECTED: dict[str, tuple[Statuses, Statuses]] = {
    "healthz": (everyone(200), NOT_ALLOWED),
    "curriculum:home": (everyone(200), NOT_ALLOWED),
    "curriculum:lesson-detail": (everyone(200), NOT_ALLOWED),
    "accounts:signup": (GUEST, GUEST),
    "accounts:login": (GUEST, GUEST),
    "accounts:logout": (NOT_ALLOWED, everyone(302)),
    "accounts:password-change": (signed_in(200), signed_in(200)),
    "accounts:password-change-done": (signed_in(200), signed_in(405)),
    "accounts:password-reset": (everyone(200), everyone(200)),
    "accounts:password-reset-done": (everyone(200), NOT_ALLOWED),
    "accounts:password-reset-confirm": (everyone(200), everyone(200)),
    "accounts:password-reset-complete": (everyone(200), NOT_ALLOWED),
    "accounts:profile": (signed_in(200), signed_in(200)),
    "accounts:export": (signed_in(200), NOT_ALLOWED),
    "accounts:delete": (signed_in(200), signed_in(200)),
    "progress:dashboard": (signed_in(200), NOT_ALLOWED),
    "progress:lesson-progress-detail": (owner(200), NOT_ALLOWED),
    "progress:mark-lesson-read": (NOT_ALLOWED, signed_in(302)),
    "progress:mark-section-read": (NOT_ALLOWED, signed_in(302)),
    "quizzes:quiz": (signed_in(200), NOT_ALLOWED),
    "quizzes:start-attempt": (NOT_ALLOWED, signed_in(302)),
    "quizzes:attempt": (owner(200), owner(302)),
    "quizzes:save-answer": (NOT_ALLOWED, owner(302)),
    "quizzes:submit": (owner(200), owner(302)),
    "quizzes:review": (owner(200), NOT_ALLOWED),
    "quizzes:discussion-response": (NOT_ALLOWED, signed_in(302)),
    "quizzes:discussion-assessment": (NOT_ALLOWED, owner(302)),
    "sandbox:scenario": (everyone(200), NOT_ALLOWED),
    "sandbox:start-run": (NOT_ALLOWED, signed_in(302)),
    "sandbox:run": (owner(200), NOT_ALLOWED),
    "sandbox:run-action": (NOT_ALLOWED, owner(302)),
    "sandbox:end-run": (NOT_ALLOWED, owner(302)),
    "sandbox:debrief": (owner(200), NOT_ALLOWED),
    "sandbox:postmortem": (owner(200), NOT_ALLOWED),
    "classroom:cohorts": (signed_in(200), by_role(LOGIN, 404, 404, 200, 200)),
    "classroom:join": (signed_in(200), signed_in(200)),
    "classroom:join-link": (signed_in(200), signed_in(302)),
    "classroom:cohort": (teacher(200), by_role(LOGIN, 404, 404, 400, 404)),
    "classroom:add-instructor": (NOT_ALLOWED, teacher(302)),
    "classroom:remove-member": (NOT_ALLOWED, teacher(302)),
    "classroom:matrix": (teacher(200), NOT_ALLOWED),
    "classroom:learner": (teacher(200), NOT_ALLOWED),
    "classroom:assignment-create": (teacher(200), teacher(200)),
    "classroom:assignment": (teacher(200), teacher(200)),
    "classroom:assignment-delete": (NOT_ALLOWED, teacher(302)),
    "classroom:assignment-reset": (NOT_ALLOWED, teacher(302)),
    "classroom:extension-grant": (NOT_ALLOWED, teacher(302)),
    "classroom:extension-delete": (NOT_ALLOWED, teacher(302)),
    "classroom:review-attempt": (teacher(200), NOT_ALLOWED),
    "classroom:review-run": (teacher(200), NOT_ALLOWED),
    "classroom:override": (teacher(200), teacher(200)),
    "classroom:grading": (teacher(200), NOT_ALLOWED),
    "classroom:grade-answer": (NOT_ALLOWED, teacher(302)),
    "classroom:grade-discussion": (NOT_ALLOWED, teacher(302)),
    "classroom:quiz-statistics": (teacher(200), NOT_ALLOWED),
    "classroom:scenario-statistics": (teacher(200), NOT_ALLOWED),
    "classroom:export-grades": (teacher(200), NOT_ALLOWED),
    "classroom:export-responses": (teacher(200), NOT_ALLOWED),
}


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    arguments: tuple[str, ...]


def _walk(
    patterns: list[Any],
    prefix: str = "",
    namespace: str = "",
    inherited: tuple[str, ...] = (),
) -> Iterator[Route | str]:
    """Yield every route under the patterns, or the route text of a skipped resolver."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        arguments = inherited + tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == SKIPPED_NAMESPACE and not namespace:
                yield route
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(pattern.url_patterns, route, inner, arguments)
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, [namespace, pattern.name]))
            yield Route(name if pattern.name else "", route, arguments)


def _routes() -> list[Route]:
    walked = _walk(get_resolver().url_patterns)
    return [route for route in walked if isinstance(route, Route)]


def _argument(route: Route, argument: str) -> Callable[[World], Any]:
    return ARGUMENTS.get(f"{route.name}:{argument}") or ARGUMENTS[argument]


def _url(route: Route, world: World) -> str:
    kwargs = {name: _argument(route, name)(world) for name in route.arguments}
    return reverse(route.name, kwargs=kwargs)


def _unknown() -> list[str]:
    """Routes without a name, a row in EXPECTED or a row in ARGUMENTS."""
    problems = []
    for route in _routes():
        if not route.name:
            problems.append(f"{route.route!r} has no name; name it, add it to EXPECTED")
            continue
        if route.name not in EXPECTED:
            problems.append(f"{route.name} ({route.route}) is not in EXPECTED")
        for argument in route.arguments:
            if (
                f"{route.name}:{argument}" not in ARGUMENTS
                and argument not in ARGUMENTS
            ):
                problems.append(
                    f"{route.name} ({route.route}): <{argument}> is not in ARGUMENTS"
                )
    return problems


def test_every_route_is_named_and_in_both_tables() -> None:
    problems = _unknown()

    assert not problems, "New routes need a row:\n" + "\n".join(problems)


def test_a_new_route_fails_until_it_is_in_the_tables(settings: Settings) -> None:
    settings.ROOT_URLCONF = "tests.security.unknown_urls"

    problems = _unknown()

    assert problems == [
        "widget (widgets/<int:widget_id>/) is not in EXPECTED",
        "widget (widgets/<int:widget_id>/): <widget_id> is not in ARGUMENTS",
        "'unnamed/' has no name; name it, add it to EXPECTED",
    ]


def test_the_tables_name_only_routes_that_exist() -> None:
    names = {route.name for route in _routes()}

    assert set(EXPECTED) - names == set()


def test_only_the_admin_is_skipped() -> None:
    skipped = [r for r in _walk(get_resolver().url_patterns) if isinstance(r, str)]

    assert skipped == ["admin/"]


def _matches(expected: int | str, response: Any) -> bool:
    if expected == LOGIN:
        location = response.get("Location", "") if response.status_code == 302 else ""
        return location.startswith("/accounts/login/?next=/")
    if expected == 302 and response.status_code == 302:
        return not response["Location"].startswith("/accounts/login/")
    return bool(response.status_code == expected)


def _request(client: Client, method: str, url: str) -> Any:
    """Send one request and undo whatever it stored, so every request sees the world.

    The cookies are put back too: signing out would otherwise end the client's session.
    """
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.generic(method, url)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_expected(
    role: str, world: World, request: pytest.FixtureRequest
) -> None:
    client = Client() if role == "anonymous" else request.getfixturevalue(CLIENTS[role])
    wrong = []
    leaks = []

    for route in _routes():
        url = _url(route, world)
        for method, expected in zip(("GET", "POST"), EXPECTED[route.name], strict=True):
            response = _request(client, method, url)
            if not _matches(expected[role], response):
                got = f"{response.status_code} {response.get('Location', '')}".strip()
                wrong.append(
                    f"{method} {url} ({route.name}): {got}, expected {expected[role]}"
                )
            body = getattr(response, "content", b"")
            if role not in ("learner", "instructor") and (
                SECRET_ANSWER.encode() in body or SECRET_DISCUSSION.encode() in body
            ):
                leaks.append(f"{method} {url} shows Alice's private text")

    assert not leaks, "\n".join(leaks)
    assert not wrong, f"As {role}:\n" + "\n".join(wrong)


def test_the_owner_and_her_instructor_do_see_her_private_text(
    world: World, learner_client: Client, instructor_client: Client
) -> None:
    review = f"/classes/NIGHT123/review/attempts/{world.open_answer.attempt_id}/"

    grading = instructor_client.get("/classes/NIGHT123/grading/").content.decode()
    answer = instructor_client.get(review).content.decode()
    lesson = learner_client.get(f"/lessons/{world.lesson.slug}/").content.decode()

    assert SECRET_DISCUSSION in grading
    assert SECRET_ANSWER in answer
    assert SECRET_DISCUSSION in lesson


@pytest.mark.parametrize("who", ["anonymous", "learner", "instructor"])
def test_the_admin_turns_away_everyone_but_staff(
    who: str, request: pytest.FixtureRequest
) -> None:
    client = Client() if who == "anonymous" else request.getfixturevalue(CLIENTS[who])

    pages = [client.get("/admin/"), client.get("/admin/auth/user/")]

    for response in pages:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/?next=/admin/")


def test_staff_reach_the_admin(learner: User) -> None:
    learner.is_staff = learner.is_superuser = True
    learner.save()
    client = Client()
    client.force_login(learner)

    response = client.get("/admin/")

    assert response.status_code == 200
