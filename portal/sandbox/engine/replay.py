"""A run as a pure function of (scenario, seed, actions).

`apply` takes a state and one action and returns the next state with the action's output and
cost; `replay` is `apply` over the list. States are immutable, so a caller may keep one and
continue from it, and replaying the same actions always gives an equal state.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace

from . import incident
from .actions import Action, ActionError, Parsed, parse_action
from .cluster import ClusterState, initial_state
from .kubectl import run as run_kubectl
from .pitfalls import detect
from .scenario import Scenario

MAX_RUN_SECONDS = 24 * 3600  # the longest simulated run, from the page


@dataclass(frozen=True)
class Step:
    """One applied action: when it started, what it printed, what it cost."""

    index: int
    at: int
    text: str
    kind: str
    output: str
    cost: int
    ok: bool
    pitfalls: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClusterChange:
    at: int
    kind: str  # rollback | restart | scale | set_image | shift
    target: str
    behaviour: str
    detail: str
    share: int = 0


@dataclass(frozen=True)
class RunState:
    seed: int
    clock: int = 0
    cluster: ClusterState = field(default_factory=lambda: ClusterState((), (), (), ()))
    steps: tuple[Step, ...] = ()
    acked_at: int | None = None
    declared_at: int | None = None
    mitigated_at: int | None = None
    resolved_at: int | None = None
    severities: tuple[tuple[int, str], ...] = ()
    roles: tuple[tuple[int, str, str], ...] = ()
    pages: tuple[tuple[int, str], ...] = ()
    escalations: tuple[int, ...] = ()
    statuses: tuple[tuple[int, str, str], ...] = ()
    investigations: tuple[tuple[int, str, int], ...] = ()
    traffic: tuple[tuple[int, int], ...] = ()
    changes: tuple[ClusterChange, ...] = ()
    seen: tuple[tuple[int, str], ...] = ()
    pitfalls: tuple[tuple[int, str], ...] = ()
    # How many earlier steps `trimmed` left out of `steps`; 0 for a whole run.
    steps_before: int = 0


def new_run(scenario: Scenario, seed: int = 0) -> RunState:
    return RunState(seed=seed, cluster=initial_state(scenario))


def next_action(state: RunState, text: str) -> Action:
    """Stamp an action typed now with the run's current simulated time."""
    return Action(at=state.clock, text=text)


def trimmed(state: RunState, since: int) -> RunState:
    """What continuing the run and showing its recent past need, at a size that does not
    grow with the run: the state with only its steps from `since` on, and without what
    they printed.

    Applying an action to it gives the state the whole run would, but for the steps and
    outputs left out; `restored` puts them back.
    """
    keep = bisect_left(state.steps, since, key=_at)
    return replace(
        state,
        steps=tuple(
            replace(step, output="") if step.output else step
            for step in state.steps[keep:]
        ),
        steps_before=state.steps_before + keep,
    )


def restored(state: RunState, steps: tuple[Step, ...]) -> RunState:
    """The state with all the run's steps, first to last, in place of those it holds."""
    if len(steps) != state.steps_before + len(state.steps):
        raise ValueError(
            f"expected {state.steps_before + len(state.steps)} steps, got {len(steps)}"
        )
    return replace(state, steps=steps, steps_before=0)


def _at(step: Step) -> int:
    return step.at


def replay(scenario: Scenario, seed: int, actions: list[Action]) -> RunState:
    state = new_run(scenario, seed)
    for action in actions:
        state = apply(scenario, state, action)
    return state


def apply(scenario: Scenario, state: RunState, action: Action) -> RunState:
    """Apply one action; raise ActionError for text that is not an action at all."""
    if action.at < state.clock:
        raise ValueError(
            f"action at {scenario.clock.hhmmss(action.at)} is before the run's clock "
            f"{scenario.clock.hhmmss(state.clock)}"
        )
    parsed = parse_action(action.text)
    if state.resolved_at is not None:
        raise ActionError(
            f"The incident was resolved at {scenario.clock.hhmmss(state.resolved_at)} "
            "and the run is finished: no further actions are accepted."
        )
    limit = MAX_RUN_SECONDS
    ends = action.at + (parsed.seconds if parsed.kind == "wait" else 0)
    if action.at >= limit or ends > limit:
        raise ActionError(
            f"A run lasts at most {limit // 3600}h of simulated time (until "
            f"{scenario.clock.hhmmss(limit)}); resolve the incident or end the run."
        )
    state = replace(state, clock=action.at)
    if parsed.kind == "kubectl":
        return _kubectl(scenario, state, action)
    handler = HANDLERS[parsed.kind]
    outcome = handler(scenario, state, parsed)
    if isinstance(outcome, str):
        return _record(state, action, parsed.kind, outcome, 0, ok=False)
    new_state, output = outcome
    cost = parsed.seconds if parsed.kind == "wait" else scenario.cost(parsed.kind)
    return _record(new_state, action, parsed.kind, output, cost, ok=True)


def _record(
    state: RunState,
    action: Action,
    kind: str,
    output: str,
    cost: int,
    ok: bool,
    pitfalls: tuple[str, ...] = (),
) -> RunState:
    index = state.steps_before + len(state.steps)
    step = Step(index, action.at, action.text, kind, output, cost, ok, pitfalls)
    return replace(state, steps=(*state.steps, step), clock=action.at + cost)


def _kubectl(scenario: Scenario, state: RunState, action: Action) -> RunState:
    t = state.clock
    salt = f"seed:{state.seed}"
    result = run_kubectl(scenario, state.cluster, t, action.text, salt)
    cost = (
        scenario.cost("change" if result.changes_cluster else "look") + result.elapsed
    )
    known = {name for _, name in state.seen}
    seen = state.seen + tuple((t, s) for s in sorted(result.seen) if s not in known)
    found = tuple(detect(scenario, result))
    had = {pid for _, pid in state.pitfalls}
    pitfalls = state.pitfalls + tuple((t, p) for p in found if p not in had)
    changes = state.changes
    if result.mutation is not None:
        m = result.mutation
        changes += (
            ClusterChange(t, m.kind, m.deployment, m.behaviour, m.detail, m.replicas),
        )
    state = replace(
        state, cluster=result.cluster, seen=seen, pitfalls=pitfalls, changes=changes
    )
    return _record(state, action, "kubectl", result.output, cost, result.ok, found)


Outcome = tuple[RunState, str] | str


def _who(scenario: Scenario, name: str) -> str | None:
    person = scenario.person(name)
    return person.id if person else None


def _name(scenario: Scenario, person_id: str) -> str:
    person = scenario.person(person_id)
    return person.name if person else person_id


def _ack(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    if state.acked_at is not None:
        return f"Already acknowledged at {scenario.clock.hhmmss(state.acked_at)}."
    return replace(
        state, acked_at=state.clock
    ), "Page acknowledged; escalation stopped."


def _escalate(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    new = replace(state, escalations=(*state.escalations, state.clock))
    before = incident.notifications(scenario, state, state.clock)
    after = incident.notifications(scenario, new, state.clock)
    paged = [n for n in after if n not in before and n.reason == "manual escalation"]
    if not paged:
        return (
            f"The escalation policy {scenario.escalation.name!r} has no further level: "
            "everyone on it has already been paged. Page someone by name instead."
        )
    names = ", ".join(_name(scenario, n.person) for n in paged)
    return new, f"Escalated to level {paged[0].level}: paging {names}."


def _page(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    person = _who(scenario, p.args[0])
    if person is None:
        return f"No one called {p.args[0]!r} is on the roster."
    if person == scenario.you:
        return "That is you."
    if any(who == person for _, who in state.pages):
        return f"{_name(scenario, person)} has already been paged."
    joins = scenario.person(person)
    minutes = joins.join_minutes if joins else 0
    new = replace(state, pages=(*state.pages, (state.clock, person)))
    return (
        new,
        f"Paged {_name(scenario, person)}; expected on the bridge in ~{minutes}m.",
    )


def _declare(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    if state.declared_at is not None:
        return (
            f"The incident was declared at {scenario.clock.hhmmss(state.declared_at)}."
        )
    date = scenario.clock.at(0).strftime("%Y%m%d")
    return (
        replace(state, declared_at=state.clock),
        f"Incident declared. Bridge open: #inc-{date}-{scenario.slug}.",
    )


def _severity(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    level = p.args[0]
    spec = next((s for s in scenario.severities.levels if s.level == level), None)
    if spec is None:
        return f"{level} is not a severity in this organisation."
    new = replace(state, severities=(*state.severities, (state.clock, level)))
    return new, f"Severity set to {level}: {spec.criteria}"


def _assign(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    role, name = p.args
    if state.declared_at is None:
        return "Declare the incident first: roles belong to an incident."
    person = _who(scenario, name)
    if person is None:
        return f"No one called {name!r} is on the roster."
    joined = incident.joined_at(scenario, state, person, state.clock)
    if joined is None:
        return f"{_name(scenario, person)} is not on the bridge; page them first."
    if joined > state.clock:
        return (
            f"{_name(scenario, person)} has not joined the bridge yet "
            f"(expected at {scenario.clock.hhmmss(joined)})."
        )
    new = replace(state, roles=(*state.roles, (state.clock, role, person)))
    titles = {"ic": "incident commander", "scribe": "scribe", "comms": "communications lead",
              "sme": "subject-matter expert"}  # fmt: skip
    return new, f"{_name(scenario, person)} is now {titles[role]}."


def _status(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    audience, text = p.args
    new = replace(state, statuses=(*state.statuses, (state.clock, audience, text)))
    if audience == "customer":
        due = state.clock + scenario.status_cadence_minutes * 60
        return (
            new,
            f"Posted to the status page. Next update due by {scenario.clock.hhmm(due)}.",
        )
    return new, "Posted to the bridge."


def _shift(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    share = p.number
    change = ClusterChange(
        state.clock, "shift", scenario.traffic.healthy_region, "", "", share
    )
    new = replace(
        state,
        traffic=(*state.traffic, (state.clock, share)),
        changes=(*state.changes, change),
    )
    return new, (
        f"Traffic weights updated: {share}% of {scenario.traffic.primary_region} checkout "
        f"traffic to {scenario.traffic.healthy_region}, taking effect over "
        f"{scenario.traffic.shift_takes_seconds}s."
    )


def _investigate(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    person = _who(scenario, p.args[0])
    if person is None:
        return f"No one called {p.args[0]!r} is on the roster."
    if person == scenario.you:
        return (
            "Investigate yourself with kubectl; this action delegates to someone else."
        )
    joined = incident.joined_at(scenario, state, person, state.clock)
    if joined is None or joined > state.clock:
        return f"{_name(scenario, person)} is not on the bridge yet."
    if any(
        who == person and at + box > state.clock
        for at, who, box in state.investigations
    ):
        return f"{_name(scenario, person)} is still investigating."
    box = p.seconds
    new = replace(
        state, investigations=(*state.investigations, (state.clock, person, box))
    )
    end = scenario.clock.hhmm(state.clock + box)
    return (
        new,
        f"{_name(scenario, person)} is investigating; they will report by {end}.",
    )


DECLARE_FIRST = "Declare the incident first: only a declared incident can be {}."


def _mitigated(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    if state.declared_at is None:
        return DECLARE_FIRST.format("marked mitigated")
    if state.mitigated_at is not None:
        return "Already marked mitigated."
    return replace(state, mitigated_at=state.clock), "Incident marked mitigated."


def _resolve(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    if state.declared_at is None:
        return DECLARE_FIRST.format("resolved")
    return replace(state, resolved_at=state.clock), "Incident resolved."


def _wait(scenario: Scenario, state: RunState, p: Parsed) -> Outcome:
    return state, f"Waited {p.seconds // 60}m{p.seconds % 60:02d}s."


HANDLERS = {
    "ack": _ack,
    "escalate": _escalate,
    "page": _page,
    "declare": _declare,
    "severity": _severity,
    "assign": _assign,
    "status": _status,
    "shift": _shift,
    "investigate": _investigate,
    "mitigated": _mitigated,
    "resolve": _resolve,
    "wait": _wait,
}
