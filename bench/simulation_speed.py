"""How fast a whole celebrity-post game runs, with and without players.

Prints ticks per second and the ratio of game time to wall time for a 15-min
game driven like the runner drives it (one frame per game second, actions at
the next tick), for no player, the naive bot and the expert bot. A headless
match plays two teams, so a game must take well under ~3 s here.

    .venv/bin/python bench/simulation_speed.py [--repeat 3]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulation import load_scenario  # noqa: E402
from simulation.golden import make_policy, play  # noqa: E402


def measure(policy_name: str, repeat: int) -> tuple[float, float, int, float]:
    """Best wall time of `repeat` games, game time, ticks, and the score."""
    scenario = load_scenario(ROOT / "scenarios" / "celebrity-post.yaml")
    best_s = float("inf")
    score = 0.0
    for _ in range(repeat):
        started = time.perf_counter()
        result = play(scenario, 1, make_policy(policy_name))
        best_s = min(best_s, time.perf_counter() - started)
        score = result["score"]["score"]
    ticks = round(scenario.duration / scenario.tick)
    return best_s, scenario.duration, ticks, score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("celebrity-post, seed 1, one frame per game second, best of", args.repeat)
    print(f"{'player':8} {'wall s':>7} {'ticks/s':>9} {'game/wall':>10} {'score':>7}")
    for policy_name in ("none", "naive", "expert"):
        wall_s, game_s, ticks, score = measure(policy_name, args.repeat)
        print(
            f"{policy_name:8} {wall_s:7.2f} {ticks / wall_s:9.0f} "
            f"{game_s / wall_s:9.0f}x {score:7.1f}"
        )


if __name__ == "__main__":
    main()
