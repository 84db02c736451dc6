from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh
from django_htmx.middleware import HtmxDetails

from portal.sandbox import charts, services
from portal.sandbox.engine import debrief as engine_debrief
from portal.sandbox.engine import metrics, view
from portal.sandbox.engine.clock import short_duration
from portal.sandbox.engine.replay import RunState
from portal.sandbox.engine.scenario import Scenario as Play
from portal.sandbox.engine.scoring import HISTORY, TimeMetric, mitigations_taken, score
from portal.sandbox.forms import FORMS, bound_form, error_text
from portal.sandbox.models import Run, Scenario

TERMINAL_HISTORY = 12


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _learner(request: HttpRequest) -> User:
    """The signed-in learner; views call it only behind login_required."""
    assert isinstance(request.user, User)
    return request.user


def _scenario(slug: str) -> Scenario:
    return get_object_or_404(
        Scenario.objects.select_related("lesson"), slug=slug, is_retired=False
    )


def _run(request: HttpRequest, run_id: int) -> Run:
    """The learner's own run; anyone else's answers 404.

    The scenario's data is parsed once per process (services.scenario_of), so it is not
    loaded with every request."""
    return get_object_or_404(
        Run.objects.select_related("scenario").defer("scenario__data"),
        pk=run_id,
        user=_learner(request),
    )


@require_safe
def scenario_detail(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = _scenario(slug)
    play = services.scenario_of(scenario)

    runs = []
    if request.user.is_authenticated:
        runs = list(Run.objects.filter(user=_learner(request), scenario=scenario))

    return render(
        request,
        "sandbox/scenario_detail.html",
        {
            "scenario": scenario,
            "play": play,
            "runs": runs,
            "active": next((r for r in runs if r.state == Run.State.ACTIVE), None),
        },
    )


@require_POST
@login_required
def start_run(request: HttpRequest, slug: str) -> HttpResponse:
    scenario = _scenario(slug)

    run = services.start_or_resume(_learner(request), scenario)

    return redirect("sandbox:run", run.pk)


def _forms(
    play: Play, state: RunState, count: int, kinds: Iterable[str] = FORMS
) -> dict[str, Any]:
    initial: dict[str, Any] = {"index": count}
    extra: dict[str, dict[str, Any]] = {
        "status": {"next_update": _next_update(play, state), "audience": "customer"},
        "shift": {"percent": 30},
        "investigate": {"minutes": "15"},
    }
    return {
        kind: FORMS[kind](initial={**initial, **extra.get(kind, {})}, scenario=play)
        for kind in kinds
    }


def _next_update(play: Play, state: RunState) -> str:
    """HH:MM, without the day the clock shows after midnight: the form asks for HH:MM."""
    due = state.clock + play.status_cadence_minutes * 60
    return play.clock.at(due).strftime("%H:%M")


def _live_context(
    run: Run, play: Play, state: RunState, forms: dict[str, Any]
) -> dict[str, Any]:
    """What every response of the play page shows: the full page and each htmx update."""
    live = services.live_view(play, state)
    return {
        "run": run,
        "scenario": run.scenario,
        "play": play,
        "you": play.person(play.you),
        "live": live,
        "charts": charts.charts(play, live["points"], live["markers"], state.clock),
        "chart_rows": charts.table(play, live["points"]),
        "forms": forms,
        "severities": play.severities.levels,
        "index": run.action_count,
        "next_update": _next_update(play, state),
    }


@require_safe
@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)
    if run.state == Run.State.FINISHED:
        return redirect("sandbox:debrief", run.pk)

    play = services.scenario_of(run.scenario)
    state = services.run_state(run)

    context = _live_context(run, play, state, _forms(play, state, run.action_count))
    context["timeline"] = view.timeline(play, state)
    context["terminal"] = [
        services.terminal_entry(play, step) for step in state.steps[-TERMINAL_HISTORY:]
    ]
    return render(request, "sandbox/run_detail.html", context)


@require_POST
@login_required
def run_action(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    """Take one action of the run; htmx gets the output and what changed, out of band."""
    run = _run(request, run_id)
    play = services.scenario_of(run.scenario)
    if run.state == Run.State.FINISHED:
        return _finished(request, run)

    form = bound_form(request.POST, play)
    if form is None or not form.is_valid():
        error = error_text(form) if form is not None else "Choose an action."
        return _rejected(request, run, error)
    try:
        outcome = services.add_action(
            run,
            form.text(),
            form.cleaned_data.get("index"),
            form.cleaned_data.get("token"),
        )
    except services.StalePage as error:
        # Show the current state: htmx reloads the whole page, a plain post redirects.
        messages.warning(request, str(error))
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect(reverse("sandbox:run", args=[run.pk]) + "#terminal")
    except services.RunError as error:
        return _rejected(request, run, str(error))

    if outcome.run.state == Run.State.FINISHED:
        return _finished(request, outcome.run)
    if not request.htmx:
        if not outcome.step.ok:
            messages.warning(request, outcome.step.output)
        return redirect(reverse("sandbox:run", args=[run.pk]) + "#terminal")

    # The fragments carry one form: the pager's, until the page is acknowledged.
    forms = _forms(play, outcome.state, outcome.run.action_count, ["ack"])
    context = _live_context(outcome.run, play, outcome.state, forms)
    step = outcome.step
    context["entry"] = services.terminal_entry(play, step)
    context["oob"] = True
    if not outcome.duplicate:
        context["step_pitfalls"] = services.pitfalls(
            play, tuple((step.at, pid) for pid in step.pitfalls)
        )
        context["new_timeline"] = services.new_timeline(
            play, outcome.before, outcome.state
        )
    response = render(request, "sandbox/run_detail.html#action-result", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _rejected(request: HtmxHttpRequest, run: Run, error: str) -> HttpResponse:
    if request.htmx:
        return render(request, "sandbox/run_detail.html#rejected", {"error": error})
    messages.error(request, error)
    return redirect(reverse("sandbox:run", args=[run.pk]) + "#terminal")


def _finished(request: HtmxHttpRequest, run: Run) -> HttpResponse:
    target = reverse("sandbox:debrief", args=[run.pk])
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


@require_POST
@login_required
def end_run(request: HtmxHttpRequest, run_id: int) -> HttpResponse:
    run = _run(request, run_id)

    if run.state == Run.State.ACTIVE:
        run = services.end_run(run)

    return _finished(request, run)


def _finished_run(request: HttpRequest, run_id: int) -> tuple[Run, Play, RunState]:
    run = _run(request, run_id)
    return run, services.scenario_of(run.scenario), services.run_state(run)


@require_safe
@login_required
def run_debrief(request: HttpRequest, run_id: int) -> HttpResponse:
    run, play, state = _finished_run(request, run_id)
    if run.state != Run.State.FINISHED:
        messages.info(request, "The debrief opens once the run is resolved or ended.")
        return redirect("sandbox:run", run.pk)

    result = score(play, state)
    report = engine_debrief.debrief(play, state)
    points = metrics.series(play, state.cluster, state.traffic, -HISTORY, state.clock)
    marks = services.markers(state, -HISTORY)
    evidence = dict(result.evidence)
    first_change = next((c.at for c in state.changes if c.kind != "shift"), None)

    return render(
        request,
        "sandbox/run_debrief.html",
        {
            "run": run,
            "scenario": run.scenario,
            "play": play,
            "score": run.score,
            "times": [_time_row(play, t) for t in result.times],
            "cadence": {
                "share": result.cadence_share,
                "longest_gap_minutes": result.longest_gap // 60
                if result.longest_gap is not None
                else None,
            },
            "items": {item.id: item for item in result.items},
            "penalties": result.penalties,
            "evidence": [
                {
                    "title": item.title,
                    "key": item.key,
                    "seen_at": _stamp(play, evidence.get(item.id)),
                    "before_acting": evidence.get(item.id) is not None
                    and (first_change is None or evidence[item.id] < first_change),  # type: ignore[operator]
                }
                for item in play.evidence
            ],
            "mitigations": [
                {
                    "at": play.clock.hhmmss(change.at),
                    "what": f"shift {change.share}% of traffic to {change.target}"
                    if change.kind == "shift"
                    else f"{change.kind.replace('_', ' ')} {change.target}",
                    "mitigation": mitigation,
                }
                for change, mitigation in mitigations_taken(play, state)
            ],
            "roles": services.roles_assigned(play, state),
            "severities": [
                {"at": play.clock.hhmmss(at), "level": level}
                for at, level in state.severities
            ],
            "expected_severity": play.severities.expected,
            "first_change_at": play.clock.hhmmss(first_change)
            if first_change is not None
            else None,
            "timeline": view.timeline(play, state),
            "charts": charts.charts(play, points, marks, state.clock),
            "chart_rows": charts.table(play, points),
            "decisions": report["decisions"],
            "postmortem": _sections(report["postmortem_markdown"]),
            "pitfalls": services.pitfalls(play, state.pitfalls),
        },
    )


@require_safe
@login_required
def postmortem(request: HttpRequest, run_id: int) -> HttpResponse:
    run, play, state = _finished_run(request, run_id)
    if run.state != Run.State.FINISHED:
        return redirect("sandbox:run", run.pk)

    text = engine_debrief.postmortem(play, state, score(play, state))

    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    filename = f"postmortem-{run.scenario.slug}-run-{run.pk}.md"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _stamp(play: Play, t: int | None) -> str | None:
    return play.clock.hhmmss(t) if t is not None else None


def _time_row(play: Play, metric: TimeMetric) -> dict[str, Any]:
    seconds = metric.seconds
    return {
        "name": metric.name,
        "label": metric.label,
        "definition": metric.definition,
        "from_event": metric.start_event,
        "from_at": _stamp(play, metric.start),
        "to_event": metric.end_event,
        "to_at": _stamp(play, metric.end),
        "duration": short_duration(seconds) if seconds is not None else None,
    }


def _sections(text: str) -> list[dict[str, Any]]:
    """Split Markdown at its headings, which the page renders itself: the shared filter
    keeps lesson prose free of headings, so only the bodies go through it."""
    sections: list[dict[str, Any]] = [{"level": 0, "title": "", "lines": []}]
    for line in text.splitlines():
        hashes = len(line) - len(line.lstrip("#"))
        if 0 < hashes <= 3 and line[hashes : hashes + 1] == " ":
            sections.append(
                {"level": hashes, "title": line[hashes:].strip(), "lines": []}
            )
        else:
            sections[-1]["lines"].append(line)
    return [
        {
            "level": s["level"],
            "title": s["title"],
            "body": "\n".join(s["lines"]).strip(),
        }
        for s in sections
        if s["title"] or any(line.strip() for line in s["lines"])
    ]
