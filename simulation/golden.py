"""Seeded golden runs: a whole game played the way the runner plays it.

`play` drives a Simulation at one frame per game second; a policy (anything
with `decide(frame_signals, catalog)`) may answer each frame, and its actions
are applied at the tick after the frame, as the real runner does. The golden
files under tests/simulation/golden/ hold sampled frames, the actions and the
final score of such runs; a test compares fresh runs with them.

Regenerate them on purpose, after a change to the model that is meant to
change its numbers, and review the diff:

    .venv/bin/python -m simulation.golden --write
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any, Protocol

from simulation.engine import Simulation
from simulation.scenario import Scenario, load_scenario

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = ROOT / "tests" / "simulation" / "golden"
SCENARIOS_DIR = ROOT / "scenarios"
POLICIES_PATH = ROOT / "wargame" / "bots" / "policies.py"
SAMPLE_EVERY_S = 30
# (scenario slug, seed, policy name or "none")
GOLDEN_RUNS = (
    ("celebrity-post", 1, "none"),
    ("celebrity-post", 1, "expert"),
)


class Decider(Protocol):
    """What `play` needs of a policy."""

    def decide(
        self, frame_signals: dict[str, Any], catalog: list[dict[str, Any]]
    ) -> list[tuple[str, dict[str, Any]]]: ...


def play(
    scenario: Scenario,
    seed: int,
    policy: Decider | None = None,
    sample_every_s: int = SAMPLE_EVERY_S,
) -> dict[str, Any]:
    """Play a whole game; return sampled frames, the actions and the score.

    1. Every game second: advance to the second, read its frame.
    2. The policy (if any) decides on that frame; its actions are applied at
       the next tick.
    3. Every `sample_every_s` seconds the frame is kept.
    """
    sim = Simulation(scenario, seed)
    catalog = sim.catalog()
    ticks_per_second = sim.ticks_per_second
    frames: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    seconds = round(sim.duration_s)
    for second in range(1, seconds + 1):
        sim.advance_to(second * ticks_per_second)
        frame = sim.frame()
        if second % sample_every_s == 0:
            frames.append(frame)
        if policy is None or sim.finished:
            continue
        decided = policy.decide(frame, catalog)
        if decided:
            sim.advance_to(sim.tick + 1)
        for name, params in decided:
            actions.append(sim.apply(name, params, by="bot"))
    return {"frames": frames, "actions": actions, "score": sim.score()}


def golden_path(slug: str, seed: int, policy_name: str) -> Path:
    """Where the golden run of (scenario, seed, policy) is stored."""
    return GOLDEN_DIR / f"{slug}-seed{seed}-{policy_name}.json"


def make_policy(policy_name: str) -> Decider | None:
    """A fresh bot policy by name ("none" for no player).

    The policies live in wargame/bots/policies.py, pure Python. The file is
    loaded by its path, only when asked: importing the `wargame` package would
    set up Celery and Django, which `simulation` never imports.
    """
    if policy_name == "none":
        return None
    policy: Decider = load_policies()[policy_name]()
    return policy


def load_policies() -> dict[str, Any]:
    """POLICIES of wargame/bots/policies.py, loaded without its package."""
    name = "wargame_bot_policies"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, POLICIES_PATH)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    policies: dict[str, Any] = module.POLICIES
    return policies


def golden_run(slug: str, seed: int, policy_name: str) -> dict[str, Any]:
    """A golden run, as JSON-compatible data."""
    scenario = load_scenario(SCENARIOS_DIR / f"{slug}.yaml")
    result = play(scenario, seed, make_policy(policy_name))
    loaded: dict[str, Any] = json.loads(json.dumps(result))
    return loaded


def main(argv: list[str] | None = None) -> int:
    """Check the golden files, or rewrite them with --write."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the files")
    args = parser.parse_args(argv)
    stale = 0
    for slug, seed, policy_name in GOLDEN_RUNS:
        path = golden_path(slug, seed, policy_name)
        result = golden_run(slug, seed, policy_name)
        if args.write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
            print(f"wrote {path.relative_to(ROOT)}")
            continue
        same = path.exists() and json.loads(path.read_text()) == result
        stale += not same
        print(f"{'ok   ' if same else 'STALE'} {path.relative_to(ROOT)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
