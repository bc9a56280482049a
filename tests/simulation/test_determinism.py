"""Same scenario, seed and tick-stamped actions: the same frames, bit for bit."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from sim_helpers import variant

from simulation import Simulation

ACTIONS: tuple[tuple[int, str, dict[str, Any]], ...] = (
    (700, "enable_coalescing", {}),
    (1300, "client_retry_policy", {"backoff": "exponential_jitter", "base_ms": 100}),
    (1400, "restart_api", {}),
)


def frames_of(seed: int, actions: tuple[tuple[int, str, dict[str, Any]], ...]) -> str:
    sim = Simulation(variant(), seed)
    frames = []
    pending = list(actions)
    for tick in range(10, 2500, 10):
        while pending and pending[0][0] <= tick:
            at, name, params = pending.pop(0)
            sim.advance_to(at)
            sim.apply(name, params, by="alice")
        sim.advance_to(tick)
        frames.append(sim.frame())
    return json.dumps(frames, sort_keys=True)


def test_same_seed_and_actions_give_identical_frames() -> None:
    assert frames_of(7, ACTIONS) == frames_of(7, ACTIONS)


def test_another_seed_gives_other_frames() -> None:
    assert frames_of(7, ()) != frames_of(8, ())


def test_an_action_changes_only_what_follows_it() -> None:
    without = json.loads(frames_of(7, ()))
    with_actions = json.loads(frames_of(7, ACTIONS))

    assert without[:69] == with_actions[:69]
    assert without[69:] != with_actions[69:]


def test_advance_to_an_earlier_tick_changes_nothing() -> None:
    sim = Simulation(variant(), 1)
    sim.advance_to(50)
    before = json.dumps(sim.frame())

    sim.advance_to(20)

    assert sim.tick == 50
    assert json.dumps(sim.frame()) == before


def test_stepping_in_small_or_large_strides_gives_the_same_frame() -> None:
    small = Simulation(variant(), 3)
    for tick in range(1, 1501):
        small.advance_to(tick)
    large = Simulation(variant(), 3)
    large.advance_to(1500)

    assert json.dumps(small.frame()) == json.dumps(large.frame())


def test_simulation_imports_without_django() -> None:
    root = Path(__file__).resolve().parents[2]
    code = (
        "import sys, simulation, simulation.golden, simulation.schema\n"
        "heavy = {'django', 'channels', 'celery', 'wargame'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "[]"
