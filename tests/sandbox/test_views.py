"""The sandbox pages: briefing, play page, actions, debrief and postmortem download."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from portal.sandbox import services
from portal.sandbox.engine.scoring import score
from portal.sandbox.models import Run, RunAction, Scenario

from .helpers import checkout, play, script

SLUG = "checkout-incident"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def scenario(curriculum: None) -> Scenario:
    return Scenario.objects.get(slug=SLUG)


@pytest.fixture
def run(learner: User, scenario: Scenario) -> Run:
    return services.start_or_resume(learner, scenario)


@pytest.fixture
def finished(run: Run) -> Run:
    for line in ["ack", "declare", "severity SEV2", "kubectl get pods -n shop"]:
        services.add_action(run, line)
    return services.end_run(run)


def command(client: Client, run: Run, line: str, **extra: str) -> object:
    data = {"kind": "command", "command": line}
    return client.post(f"/runs/{run.pk}/actions/", data, **extra)


def run_urls(run: Run) -> list[tuple[str, str]]:
    return [
        ("get", f"/runs/{run.pk}/"),
        ("post", f"/runs/{run.pk}/actions/"),
        ("post", f"/runs/{run.pk}/end/"),
        ("get", f"/runs/{run.pk}/debrief/"),
        ("get", f"/runs/{run.pk}/postmortem.md"),
    ]


def test_it_shows_the_briefing_to_anyone(client: Client, scenario: Scenario) -> None:
    response = client.get(f"/sandbox/{SLUG}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "The 2 AM checkout incident" in html
    assert f"/accounts/login/?next=/sandbox/{SLUG}/" in html


def test_it_lists_the_learners_runs_on_the_briefing(
    learner_client: Client, finished: Run, other_learner: User, scenario: Scenario
) -> None:
    services.start_or_resume(other_learner, scenario)

    html = learner_client.get(f"/sandbox/{SLUG}/").content.decode()

    assert f"/runs/{finished.pk}/debrief/" in html
    assert html.count("<tr>") == 2  # the header row and alice's one run
    assert "Start a run" in html


def test_it_answers_404_for_an_unknown_scenario(
    client: Client, curriculum: None
) -> None:
    assert client.get("/sandbox/no-such-thing/").status_code == 404


def test_it_starts_and_then_resumes_a_run(
    learner_client: Client, scenario: Scenario
) -> None:
    first = learner_client.post(f"/sandbox/{SLUG}/start/")
    second = learner_client.post(f"/sandbox/{SLUG}/start/")

    run = Run.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == f"/runs/{run.pk}/"


def test_starting_asks_anonymous_visitors_to_sign_in(
    client: Client, scenario: Scenario
) -> None:
    response = client.post(f"/sandbox/{SLUG}/start/")

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next=/sandbox/{SLUG}/start/"
    assert not Run.objects.exists()


def test_every_run_url_asks_anonymous_visitors_to_sign_in(
    client: Client, run: Run
) -> None:
    for method, url in run_urls(run):
        response = getattr(client, method)(url)

        assert response.status_code == 302, url
        assert response.url == f"/accounts/login/?next={url}"


def test_every_run_url_answers_404_to_another_learner(
    other_learner_client: Client, finished: Run, run: Run
) -> None:
    active = services.start_or_resume(finished.user, finished.scenario)
    for target in (finished, active):
        for method, url in run_urls(target):
            response = getattr(other_learner_client, method)(
                url, {"kind": "ack"} if method == "post" else None
            )

            assert response.status_code == 404, url
    assert RunAction.objects.filter(run=active).count() == 0


def test_the_play_page_shows_every_panel(learner_client: Client, run: Run) -> None:
    response = learner_client.get(f"/runs/{run.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<time class="clock-time">02:00:00</time>' in html
    assert '<label for="id_command_command">kubectl command</label>' in html
    assert 'role="log" aria-live="polite"' in html
    assert html.count("<svg") == 3
    assert "<title id=" in html and "<desc id=" in html
    assert "The charts as a table" in html
    assert "Acknowledge the page" in html
    assert "Declare incident and open bridge" in html
    for level in ("SEV1", "SEV2", "SEV3", "SEV4"):
        assert f'<label for="severity-{level}">{level}</label>' in html
    assert "A core function such as checkout is failing" in html
    assert 'id="status-page"' in html and 'id="timeline-list"' in html
    assert "style=" not in html
    assert "<script>" not in html


def test_a_plain_post_runs_the_command_and_redirects_back(
    learner_client: Client, run: Run
) -> None:
    response = command(learner_client, run, "kubectl get pods -n shop", index="0")

    assert response.status_code == 302
    assert response.url == f"/runs/{run.pk}/#terminal"
    page = learner_client.get(response.url).content.decode()
    assert "kubectl get pods -n shop" in page
    assert "RESTARTS" in page
    assert '<time class="clock-time">02:00:30</time>' in page


def test_an_htmx_post_returns_only_the_fragments(
    learner_client: Client, run: Run
) -> None:
    response = command(learner_client, run, "kubectl get pods -n shop", **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<header" not in html
    assert html.lstrip().startswith('<div class="terminal-entry">')
    assert "RESTARTS" in html
    for region in ("run-clock", "pager", "incident", "metrics", "status-page"):
        assert f'id="{region}"' in html
    assert html.count('hx-swap-oob="true"') == 6
    assert 'hx-swap-oob="beforeend:#timeline-list"' in html
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]


def test_an_htmx_pitfall_comes_with_its_explanation(
    learner_client: Client, run: Run
) -> None:
    response = command(learner_client, run, "kubectl get pods", **HTMX)

    html = response.content.decode()
    assert "Why did I see this?" in html
    assert "default" in html


def test_each_action_form_posts_one_action(learner_client: Client, run: Run) -> None:
    url = f"/runs/{run.pk}/actions/"
    posts = [
        {"kind": "ack"},
        {"kind": "declare"},
        {"kind": "severity", "severity": "SEV2"},
        {"kind": "page", "person": "priya"},
        {"kind": "escalate"},
        {
            "kind": "status",
            "audience": "customer",
            "impact": "Some customers cannot check out",
            "scope": "North America",
            "current_action": "We are investigating",
            "next_update": "02:30",
        },
        {"kind": "shift", "percent": "30"},
        {"kind": "wait", "minutes": "5"},
        {"kind": "investigate", "person": "priya", "minutes": "10"},
        {"kind": "assign", "role": "ic", "person": "priya"},
        {"kind": "mitigated"},
    ]

    for data in posts:
        assert learner_client.post(url, data).status_code == 302

    texts = list(RunAction.objects.values_list("text", flat=True))
    assert texts == [
        "ack",
        "declare",
        "severity SEV2",
        "page priya",
        "escalate",
        "status customer 'Impact: Some customers cannot check out. Scope: North "
        "America. Current action: We are investigating. Next update by 02:30 UTC.'",
        "shift-traffic 30",
        "wait 5m",
        "investigate priya 10m",
        "assign ic priya",
        "mitigated",
    ]
    state = services.run_state(Run.objects.get())
    assert all(step.ok for step in state.steps)


def test_an_invalid_form_stores_nothing_and_says_why(
    learner_client: Client, run: Run
) -> None:
    url = f"/runs/{run.pk}/actions/"

    plain = learner_client.post(url, {"kind": "shift", "percent": "250"}, follow=True)
    fragment = learner_client.post(
        url, {"kind": "severity", "severity": "SEV9"}, **HTMX
    )
    unknown = command(learner_client, run, "get pods", **HTMX)

    assert "Ensure this value is less than or equal to 100" in plain.content.decode()
    assert 'role="alert"' in fragment.content.decode()
    assert "unknown action" in unknown.content.decode()
    assert not RunAction.objects.exists()


def test_a_double_submit_through_the_view_stores_one_action(
    learner_client: Client, run: Run
) -> None:
    data = {"kind": "wait", "minutes": "5", "index": "0"}

    learner_client.post(f"/runs/{run.pk}/actions/", data, **HTMX)
    again = learner_client.post(f"/runs/{run.pk}/actions/", data, **HTMX)

    assert again.status_code == 200
    assert RunAction.objects.count() == 1
    assert "02:05:00" in again.content.decode()


def test_a_run_reloaded_halfway_continues_identically(
    learner_client: Client, run: Run
) -> None:
    lines = script("model.txt")
    half = len(lines) // 2
    for line in lines[:half]:
        command(learner_client, run, line, **HTMX)
    cache.clear()  # another app server, or a restart: nothing but the database remains

    page = learner_client.get(f"/runs/{run.pk}/")
    for line in lines[half:]:
        command(learner_client, run, line)

    run.refresh_from_db()
    expected = score(checkout(), play(lines, seed=run.seed)).total
    assert page.status_code == 200
    assert run.state == Run.State.FINISHED
    assert run.action_count == len(lines)
    assert run.total_score == expected


def _play_through(run: Run, count: int) -> None:
    services.add_action(run, "ack")
    for _ in range(count - 1):
        services.add_action(run, "kubectl get pods -n shop")


@pytest.mark.parametrize("count", [1, 50])
def test_the_play_page_query_count_does_not_grow(
    learner_client: Client, run: Run, count: int, django_assert_num_queries
) -> None:
    _play_through(run, count)
    cache.clear()

    # Session, user, run with its scenario and lesson, then the actions to replay.
    with django_assert_num_queries(4):
        cold = learner_client.get(f"/runs/{run.pk}/")
    with django_assert_num_queries(3):
        warm = learner_client.get(f"/runs/{run.pk}/")

    assert cold.status_code == warm.status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_the_action_query_count_does_not_grow(
    learner_client: Client,
    run: Run,
    count: int,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
) -> None:
    # The state after an action is cached once its transaction commits, which a test's
    # transaction never does: run the callbacks as a commit would.
    with django_capture_on_commit_callbacks(execute=True):
        _play_through(run, count)

    # Session, user, run; then in a savepoint: the count claimed, the new action. No
    # replay: the state is cached.
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(7),
    ):
        plain = command(learner_client, run, "kubectl get pods -n shop", **HTMX)
    # What the play page posts: one more, for an action stored with the form's token.
    data = {"kind": "command", "command": "kubectl get pods -n shop",
            "index": str(count + 1), "token": "f" * 32}  # fmt: skip
    with django_assert_num_queries(8):
        from_page = learner_client.post(f"/runs/{run.pk}/actions/", data, **HTMX)

    assert plain.status_code == from_page.status_code == 200
    assert f"· {count + 2} actions" in from_page.content.decode()
    assert RunAction.objects.get(token="f" * 32).index == count + 1


@pytest.mark.parametrize("count", [1, 50])
def test_an_action_without_a_cached_state_replays_in_one_more_query(
    learner_client: Client, run: Run, count: int, django_assert_num_queries
) -> None:
    _play_through(run, count)
    cache.clear()

    with django_assert_num_queries(8):
        response = command(learner_client, run, "kubectl get pods -n shop", **HTMX)

    assert response.status_code == 200
    assert f"· {count + 1} actions" in response.content.decode()


def test_resolving_sends_htmx_and_plain_posts_to_the_debrief(
    learner_client: Client, run: Run, scenario: Scenario, learner: User
) -> None:
    services.add_action(run, "declare")
    htmx = learner_client.post(f"/runs/{run.pk}/actions/", {"kind": "resolve"}, **HTMX)
    second = services.start_or_resume(learner, scenario)
    services.add_action(second, "declare")
    plain = learner_client.post(f"/runs/{second.pk}/actions/", {"kind": "resolve"})

    assert htmx["HX-Redirect"] == f"/runs/{run.pk}/debrief/"
    assert plain.status_code == 302
    assert plain.url == f"/runs/{second.pk}/debrief/"


def test_ending_a_run_opens_its_debrief(learner_client: Client, run: Run) -> None:
    response = learner_client.post(f"/runs/{run.pk}/end/")

    run.refresh_from_db()
    assert response.url == f"/runs/{run.pk}/debrief/"
    assert run.state == Run.State.FINISHED


def test_a_finished_run_page_and_its_actions_lead_to_the_debrief(
    learner_client: Client, finished: Run
) -> None:
    page = learner_client.get(f"/runs/{finished.pk}/")
    action = learner_client.post(f"/runs/{finished.pk}/actions/", {"kind": "ack"})

    assert page.url == action.url == f"/runs/{finished.pk}/debrief/"
    assert RunAction.objects.filter(run=finished).count() == 4


def test_the_debrief_waits_for_the_run_to_finish(
    learner_client: Client, run: Run
) -> None:
    debrief = learner_client.get(f"/runs/{run.pk}/debrief/")
    download = learner_client.get(f"/runs/{run.pk}/postmortem.md")

    assert debrief.status_code == download.status_code == 302
    assert debrief.url == download.url == f"/runs/{run.pk}/"


def test_the_debrief_shows_every_measure_with_its_timestamps(
    learner_client: Client, finished: Run
) -> None:
    response = learner_client.get(f"/runs/{finished.pk}/debrief/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Score: <strong>{finished.total_score}</strong> out of 100" in html
    assert "Time to acknowledge (MTTA)" in html
    assert "page sent at <time>02:00:00</time>" in html
    assert "page acknowledged at <time>02:00:00</time>" in html
    assert "Time to restore (MTTR as mean time to restore)" in html
    assert "Time to resolve (MTTR as mean time to resolve)" in html
    assert "MTTR" in html and "Both are shown" in html
    assert "windows from the declaration to the resolution had one" in html
    assert "Expected for this impact: SEV2" in html
    assert "Evidence before acting" in html
    assert "Decisions and their alternatives" in html
    assert html.count("<svg") == 3
    assert "<h3>Postmortem: The 2 AM checkout incident (2024-03-14)</h3>" in html
    assert "<h4>Contributing factors</h4>" in html
    assert "<th>Event</th>" in html
    assert f'href="/runs/{finished.pk}/postmortem.md"' in html


def test_the_postmortem_downloads_as_markdown(
    learner_client: Client, finished: Run
) -> None:
    response = learner_client.get(f"/runs/{finished.pk}/postmortem.md")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="postmortem-checkout-incident-run-{finished.pk}.md"'
    )
    text = response.content.decode()
    assert text.startswith("# Postmortem: The 2 AM checkout incident")
    for heading in ("## Impact", "## Timeline (UTC)", "## What went well",
                    "## Contributing factors", "## Action items"):  # fmt: skip
        assert heading in text


def test_the_status_page_warns_when_an_update_is_overdue(
    learner_client: Client, run: Run
) -> None:
    services.add_action(run, "declare")
    services.add_action(run, "wait 20m")

    html = learner_client.get(f"/runs/{run.pk}/").content.decode()

    assert "<strong>Overdue:</strong> the next customer update was due at" in html
    assert "<time>02:15:00</time>" in html


def test_the_pager_shows_escalation_until_acknowledged(
    learner_client: Client, run: Run
) -> None:
    services.add_action(run, "wait 6m")

    html = learner_client.get(f"/runs/{run.pk}/").content.decode()

    assert "Paging: not acknowledged. Escalation level 2 of 3." in html
    assert "Priya Natarajan (level 2, escalation)" in html


def test_the_page_explains_a_pitfall_the_learner_fell_into(
    learner_client: Client, run: Run
) -> None:
    services.add_action(run, "kubectl get pods")

    html = learner_client.get(f"/runs/{run.pk}/").content.decode()

    assert "Why did I see this?" in html
    assert "Why does kubectl say there are no pods?" in html
