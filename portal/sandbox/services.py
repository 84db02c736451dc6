"""Playing runs: start or resume, append one action, finish and score.

A run's state is never kept in a process between requests: it is replay(scenario, seed,
actions) from the database. Django's cache may hold the state after the latest action
(see snapshots), so an action costs the same however long the run is; a miss replays.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from portal.progress.services import record_scenario_result
from portal.sandbox import snapshots
from portal.sandbox.engine import incident, metrics, view
from portal.sandbox.engine.actions import ActionError, parse_action
from portal.sandbox.engine.replay import RunState, Step, apply, next_action
from portal.sandbox.engine.scenario import Scenario as Play
from portal.sandbox.engine.scenario import load_scenario
from portal.sandbox.engine.scoring import as_dict, score
from portal.sandbox.models import Run, RunAction, Scenario

logger = logging.getLogger(__name__)

SEED_LIMIT = 2**31
# How many times an action is worked out without a lock when another one of the run
# was stored first (two tabs, a double click), before it waits for the run's lock.
ATTEMPTS = 3
FINISHED = "This run is finished; open its debrief."

_parsed: dict[tuple[int, str], Play] = {}


class RunError(Exception):
    """An action that cannot be taken; nothing was stored."""


class StalePage(RunError):
    """The page that posted was out of date; nothing was stored."""


@dataclass(frozen=True)
class Outcome:
    """What one action did: the state after it, the step it added, the state before.

    The states are trimmed to their recent steps, without outputs (snapshots.compact);
    `step` is whole."""

    run: Run
    state: RunState
    step: Step
    before: RunState
    duplicate: bool = False


def scenario_of(model: Scenario) -> Play:
    """The engine's scenario for a stored one, parsed once per process and version.

    Only a miss reads `data`, so callers may load the scenario without it."""
    key = (model.pk, model.loaded_at.isoformat())
    if key not in _parsed:
        for stale in [k for k in _parsed if k[0] == model.pk]:
            _parsed.pop(stale, None)
        _parsed[key] = load_scenario(model.data)
    return _parsed[key]


def run_state(run: Run) -> RunState:
    """The state after the run's actions so far, with every step."""
    return snapshots.full(run, scenario_of(run.scenario))


def start_or_resume(user: User, scenario: Scenario) -> Run:
    """Return the learner's active run of the scenario, starting one if there is none."""
    active = Run.objects.filter(user=user, scenario=scenario, state=Run.State.ACTIVE)
    run = active.first()
    if run is not None:
        return run
    try:
        with transaction.atomic():
            run = Run.objects.create(
                user=user,
                scenario=scenario,
                seed=secrets.randbelow(SEED_LIMIT),
                started_at=timezone.now(),
            )
    except IntegrityError:
        # A concurrent request started it first; both resume the same run.
        return active.get()
    logger.info("%s started run %s of %s", user, run.pk, scenario.slug)
    return run


def _lock(run: Run) -> None:
    """Lock the run's row (only that row) and read its state and count afresh."""
    row = Run.objects.select_for_update(of=("self",)).filter(pk=run.pk)
    run.state, run.action_count = row.values_list("state", "action_count").get()
    if run.state != Run.State.ACTIVE:
        raise RunError(FINISHED)


class _Moved(Exception):
    """Another action was stored, or the run ended, since the run was read."""


def add_action(
    run: Run, text: str, index: int | None = None, token: str | None = None
) -> Outcome:
    """Append one action to the run, or raise RunError and store nothing.

    `token` identifies the rendering of the form that posted: when an action with it is
    already stored, the request is a retry or a double submit and it answers with what the
    first one did, whatever its index. `index` is the number of actions the learner's page
    showed; a page that is out of date is refused so the learner sees the current state.
    Without a token, an action at that index with the same text counts as the retry.
    """
    text = text.strip()
    token = (token or "").strip() or None
    try:
        parse_action(text)
    except ActionError as error:
        raise RunError(str(error)) from None

    for _ in range(ATTEMPTS):
        try:
            return _try_action(run, text, index, token)
        except _Moved:
            run.refresh_from_db(fields=["state", "action_count"])
    # Still losing the race: wait for the run's row lock, under which nothing moves.
    with transaction.atomic():
        _lock(run)
        return _try_action(run, text, index, token)


def _try_action(run: Run, text: str, index: int | None, token: str | None) -> Outcome:
    """Take the action on the run as last read, or raise _Moved.

    Nothing is locked while the action is worked out: storing it claims the next index
    only if the run still has the count it was read with, so what was checked and
    computed against that count still holds; otherwise the caller reads it again.
    """
    if run.state != Run.State.ACTIVE:
        raise RunError(FINISHED)
    play = scenario_of(run.scenario)
    count = run.action_count
    shown = index if index is not None and 0 <= index < count else None
    first, text_at_index = _stored(run, token, shown)

    keep_token = token
    if first is not None and (index is None or index <= first):
        return _repeated(run, play, first)
    if first is not None:
        # A page that already showed that action posts again from the same
        # rendering (htmx keeps the form): a new action, stored without it.
        keep_token = None
    if shown is not None:
        if token is None and text_at_index == text:
            return _repeated(run, play, shown)
        if token is not None:
            raise StalePage(
                f"This page was out of date: {count - shown} action(s) were taken "
                "since it loaded, so nothing was done. The page now shows the current "
                "state; try again if it still makes sense."
            )

    state = snapshots.head(run, play)
    action = next_action(state, text)
    try:
        after = apply(play, state, action)
    except ActionError as error:
        raise RunError(str(error)) from None
    step = after.steps[-1]

    with transaction.atomic():
        claimed = Run.objects.filter(
            pk=run.pk, state=Run.State.ACTIVE, action_count=count
        ).update(action_count=count + 1)
        if not claimed:
            raise _Moved
        RunAction.objects.create(
            run=run, index=count, text=text, at=action.at, token=keep_token
        )
        run.action_count = count + 1
        # Only a committed action may be cached: a rolled-back one never happened.
        transaction.on_commit(
            lambda: snapshots.save(run, count + 1, after), robust=True
        )
        if step.kind == "resolve" and step.ok:
            _finish(run, play, after)
    return Outcome(run, after, step, state)


def _stored(
    run: Run, token: str | None, index: int | None
) -> tuple[int | None, str | None]:
    """The index of the action stored with `token`, and the text of the action at
    `index`, in one query."""
    if token is None and index is None:
        return None, None
    wanted = Q(token=token) if token is not None else Q()
    if index is not None:
        wanted |= Q(index=index)
    token_index, text_at_index = None, None
    for found, found_token, text in run.actions.filter(wanted).values_list(
        "index", "token", "text"
    ):
        if token is not None and found_token == token:
            token_index = found
        if found == index:
            text_at_index = text
    return token_index, text_at_index


def _repeated(run: Run, play: Play, index: int) -> Outcome:
    """What the action number `index` did, for a post that repeats it."""
    state = snapshots.head(run, play)
    step = snapshots.step(run, play, index)
    return Outcome(run, state, step, state, duplicate=True)


def end_run(run: Run) -> Run:
    """Finish the run where it stands, score it and record the result."""
    with transaction.atomic():
        _lock(run)
        play = scenario_of(run.scenario)
        _finish(run, play, snapshots.head(run, play))
    return run


def _finish(run: Run, play: Play, state: RunState) -> None:
    result = score(play, state)
    now = timezone.now()
    run.state = Run.State.FINISHED
    run.finished_at = now
    run.score = as_dict(play, result)
    run.total_score = result.total
    run.save(update_fields=["state", "finished_at", "score", "total_score"])
    record_scenario_result(
        run.user, run.scenario.lesson, run.scenario.slug, result.total, at=now
    )
    logger.info("run %s finished with %s", run.pk, result.total)


def live_view(play: Play, state: RunState) -> dict[str, Any]:
    """What the play page shows now; each part costs the same however long the run is."""
    clock = play.clock
    start = view.window_start(state)
    page = incident.status_page(play, state, state.clock)
    points = metrics.series(play, state.cluster, state.traffic, start, state.clock)
    return {
        "clock": clock.hhmmss(state.clock),
        "clock_seconds": state.clock,
        "window_start": clock.hhmm(start),
        "pager": view.pager(play, state, start, points),
        "incident": {
            "declared_at": _stamp(play, state.declared_at),
            "severity": incident.severity_at(state, state.clock),
            "mitigated_at": _stamp(play, state.mitigated_at),
            "resolved_at": _stamp(play, state.resolved_at),
            "roles": [
                {"role": ROLE_TITLES.get(role, role), "person": _name(play, person)}
                for role, person in incident.role_holders(state, state.clock).items()
            ],
            "bridge": [
                _name(play, p) for p in incident.on_bridge(play, state, state.clock)
            ],
        },
        "status_page": {
            "state": page.state,
            "updates": [
                {"at": clock.hhmmss(at), "text": text} for at, text in page.updates
            ],
            "next_due": _stamp(play, page.next_due),
            "overdue": page.overdue,
        },
        "findings": [
            {"at": clock.hhmmss(f.at), "person": _name(play, f.person), "text": f.text}
            for f in incident.findings(play, state, state.clock)
        ],
        "points": points,
        "markers": markers(state, start),
        "pitfalls": pitfalls(play, state.pitfalls),
    }


def markers(state: RunState, start: int) -> list[tuple[int, str]]:
    """The learner's actions since `start` to mark on the charts: incident actions and
    kubectl commands that changed the cluster, not looks or waits."""
    changed = {change.at for change in state.changes}
    found = []
    for step in reversed(state.steps):
        if step.at < start:
            break
        if not step.ok or step.kind == "wait":
            continue
        if step.kind != "kubectl" or step.at in changed:
            found.append((step.at, step.text))
    return found[::-1]


def pitfalls(play: Play, found: tuple[tuple[int, str], ...]) -> list[dict[str, str]]:
    return [
        {"at": play.clock.hhmmss(at), "id": pid, "title": p.title, "text": p.text}
        for at, pid in found
        if (p := play.pitfall(pid)) is not None
    ]


def new_timeline(play: Play, before: RunState, after: RunState) -> list[dict[str, str]]:
    """The timeline entries one action added, to append to the page.

    Everything before the action's start is unchanged, so only entries from then on are
    compared, which keeps the cost flat however long the run is.
    """
    remaining = Counter(
        tuple(entry.values()) for entry in view.timeline(play, before, before.clock)
    )
    added = []
    for entry in view.timeline(play, after, before.clock):
        key = tuple(entry.values())
        if remaining[key]:
            remaining[key] -= 1
        else:
            added.append(entry)
    return added


def _name(play: Play, person_id: str) -> str:
    person = play.person(person_id)
    return person.name if person else person_id


def _stamp(play: Play, t: int | None) -> str | None:
    return play.clock.hhmmss(t) if t is not None else None


ROLE_TITLES = {
    "ic": "Incident commander",
    "scribe": "Scribe",
    "sme": "Subject-matter expert",
    "comms": "Communications lead",
}


def roles_assigned(play: Play, state: RunState) -> list[dict[str, str]]:
    """Every role assignment of the run, in order, with who took the role."""
    return [
        {
            "at": play.clock.hhmmss(at),
            "role": ROLE_TITLES.get(role, role),
            "person": _name(play, person),
        }
        for at, role, person in state.roles
    ]


def terminal_entry(play: Play, step: Step) -> dict[str, Any]:
    """One command or action and what it printed, as the terminal shows it."""
    return {
        "at": play.clock.hhmmss(step.at),
        "text": step.text,
        "output": step.output,
        "ok": step.ok,
        "kubectl": step.kind == "kubectl",
    }
