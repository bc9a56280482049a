"""Drive a scenario for a test: run it with actions, read metrics per second."""

import json
from pathlib import Path
from typing import Any

import yaml

from simulation import Scenario, Simulation
from simulation.scenario import parse_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
CELEBRITY_POST = SCENARIOS / "celebrity-post.yaml"


def variant(**changes: Any) -> Scenario:
    """celebrity-post with some fields changed: `variant(**{"a.b": value})`."""
    document = yaml.safe_load(CELEBRITY_POST.read_text())
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        node = document
        for key in parents:
            node = node[key]
        node[last] = value
    return parse_scenario(yaml.safe_dump(document), "variant.yaml", "variant")


class Run:
    """A finished run: the frame of every game second, by second."""

    def __init__(self, sim: Simulation, frames: dict[int, dict[str, Any]]) -> None:
        self.sim = sim
        self.frames = frames

    def metric(self, second: int, component: str, name: str) -> float:
        """A component's metric in the frame at `second`."""
        for entry in self.frames[second]["components"]:
            if entry["id"] == component:
                return float(entry["metrics"][name])
        raise KeyError(component)

    def users(self, second: int, name: str) -> float:
        """A user-facing metric in the frame at `second`."""
        return float(self.frames[second]["users"][name])

    def most(self, first: int, last: int, component: str, name: str) -> float:
        """The largest value of a metric over seconds first..last."""
        return max(self.metric(s, component, name) for s in range(first, last + 1))

    def least(self, first: int, last: int, component: str, name: str) -> float:
        """The smallest value of a metric over seconds first..last."""
        return min(self.metric(s, component, name) for s in range(first, last + 1))


_RUNS: dict[str, Run] = {}


def run(
    until_s: int,
    actions: tuple[tuple[int, str, dict[str, Any]], ...] = (),
    seed: int = 1,
    scenario: Scenario | None = None,
) -> Run:
    """Play until `until_s`, applying (second, action, params) at that second.

    Runs are deterministic, so identical runs are played once per session;
    tests only read them.
    """
    scenario = scenario or variant()
    key = json.dumps([until_s, actions, seed, scenario.model_dump()], default=str)
    if key not in _RUNS:
        _RUNS[key] = _play(until_s, actions, seed, scenario)
    return _RUNS[key]


def _play(
    until_s: int,
    actions: tuple[tuple[int, str, dict[str, Any]], ...],
    seed: int,
    scenario: Scenario,
) -> Run:
    sim = Simulation(scenario, seed)
    pending = sorted(actions, key=lambda action: action[0])
    frames: dict[int, dict[str, Any]] = {}
    for second in range(1, until_s + 1):
        while pending and pending[0][0] < second:
            _, name, params = pending.pop(0)
            sim.apply(name, params, by="test")
        sim.advance_to(second * sim.ticks_per_second)
        frames[second] = sim.frame()
    return Run(sim, frames)
