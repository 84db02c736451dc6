"""Run states kept in Django's cache, so an action applies to the state after the run's
latest action instead of replaying the whole run.

The database's list of actions stays the truth: a state is a pure function of (scenario,
seed, actions), so a cached one is correct by construction as long as its key names all
it depends on (the run, its seed, the scenario's version and how many actions it holds),
and every miss replays the run from the database. Two kinds of entries:

- the head: the state after the first `count` actions, trimmed to what the next action and
  the play page's window need (see engine.replay.trimmed), so loading and storing it
  costs the same however long the run is;
- one entry per step, written once when the step is taken, from which the pages that
  show the whole run put the complete state back together.
"""

from __future__ import annotations

import logging
import pickle
from typing import Any

from django.core.cache import cache

from portal.sandbox.engine import view
from portal.sandbox.engine.actions import Action
from portal.sandbox.engine.replay import (
    RunState,
    Step,
    new_run,
    replay,
    restored,
    trimmed,
)
from portal.sandbox.engine.scenario import Scenario as Play
from portal.sandbox.models import Run

logger = logging.getLogger(__name__)

# Part of every key: change it when RunState or Step change shape, so that no process
# reads states pickled by another version of the engine.
FORMAT = 1
TIMEOUT = 6 * 3600
# What cannot be unpickled any more is a miss, not an error: the run replays.
UNREADABLE = (
    pickle.UnpicklingError,
    AttributeError,
    EOFError,
    ImportError,
    IndexError,
    TypeError,
    ValueError,
)


def _prefix(run: Run) -> str:
    version = run.scenario.loaded_at.timestamp()
    return f"sandbox:{FORMAT}:{run.pk}:{run.seed}:{run.scenario_id}:{version}"


def head_key(run: Run, count: int) -> str:
    return f"{_prefix(run)}:head:{count}"


def step_key(run: Run, index: int) -> str:
    return f"{_prefix(run)}:step:{index}"


def head(run: Run, play: Play) -> RunState:
    """The state after the run's `action_count` actions, trimmed (see `compact`)."""
    if run.action_count == 0:
        return new_run(play, run.seed)
    state = _get(head_key(run, run.action_count), RunState)
    if state is None:
        state = compact(_rebuild(run, play))
    return state


def full(run: Run, play: Play) -> RunState:
    """The state after the run's `action_count` actions, with every step."""
    if run.action_count == 0:
        return new_run(play, run.seed)
    state = _get(head_key(run, run.action_count), RunState)
    if state is not None:
        keys = [step_key(run, index) for index in range(run.action_count)]
        found = _get_many(keys)
        if all(isinstance(found.get(key), Step) for key in keys):
            return restored(state, tuple(found[key] for key in keys))
    return _rebuild(run, play)


def step(run: Run, play: Play, index: int) -> Step:
    """The step of the run's action number `index` (from 0), taken before."""
    found = _get(step_key(run, index), Step)
    return found if found is not None else full(run, play).steps[index]


def save(run: Run, count: int, state: RunState) -> None:
    """Keep the state after the run's first `count` actions, and the step it added."""
    entries: dict[str, Any] = {head_key(run, count): compact(state)}
    if state.steps:
        last = state.steps[-1]
        entries[step_key(run, last.index)] = last
    cache.set_many(entries, TIMEOUT)


def compact(state: RunState) -> RunState:
    """The state trimmed to the steps of the play page's window, which only moves
    forward, and without their outputs, which the steps' own entries hold."""
    return trimmed(state, view.window_start(state))


def _rebuild(run: Run, play: Play) -> RunState:
    """Replay the run from the database and keep what the replay computed."""
    rows = run.actions.filter(index__lt=run.action_count).values_list("at", "text")
    state = replay(play, run.seed, [Action(at=at, text=text) for at, text in rows])
    logger.debug("run %s replayed: %s actions", run.pk, len(state.steps))

    entries: dict[str, Any] = {step_key(run, s.index): s for s in state.steps}
    entries[head_key(run, len(state.steps))] = compact(state)
    cache.set_many(entries, TIMEOUT)
    return state


def _get(key: str, kind: type) -> Any:
    try:
        value = cache.get(key)
    except UNREADABLE:
        logger.warning("unreadable sandbox state %s; replaying instead", key)
        return None
    return value if isinstance(value, kind) else None


def _get_many(keys: list[str]) -> dict[str, Any]:
    if not keys:
        return {}
    try:
        return cache.get_many(keys)
    except UNREADABLE:
        logger.warning("unreadable sandbox steps of %s; replaying instead", keys[0])
        return {}
