"""Bot policies, pure: they read frames only, and the expert beats the naive."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from simulation import load_scenario
from simulation.golden import play
from wargame.bots.policies import POLICIES, ExpertPolicy, NaivePolicy

ROOT = Path(__file__).resolve().parents[3]
CELEBRITY_POST = ROOT / "scenarios" / "celebrity-post.yaml"
SEEDS = (1, 2, 3, 4, 5)


def frame(
    second: float,
    error_ratio: float = 0.0,
    p99_ms: float = 100.0,
    **components: dict[str, Any],
) -> dict[str, Any]:
    return {
        "game_time_s": second,
        "users": {"error_ratio": error_ratio, "latency_p99_ms": p99_ms},
        "components": [
            {"id": name, "metrics": metrics} for name, metrics in components.items()
        ],
    }


def catalog() -> list[dict[str, Any]]:
    names = ["scale_api", "restart_api", "enable_coalescing", "serve_stale",
             "prewarm_hot_key", "client_retry_policy", "shed_load",
             "enable_db_pooler", "set_autoscaler", "cap_db_pool"]  # fmt: skip
    return [{"action": name, "params": {}} for name in names]


@pytest.fixture(scope="module")
def scores() -> dict[tuple[str, int], dict[str, Any]]:
    scenario = load_scenario(CELEBRITY_POST)
    return {
        (name, seed): play(scenario, seed, POLICIES[name]())["score"]
        for name in ("naive", "expert")
        for seed in SEEDS
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_expert_beats_naive_on_score_and_availability(
    seed: int, scores: dict[tuple[str, int], dict[str, Any]]
) -> None:
    expert, naive = scores[("expert", seed)], scores[("naive", seed)]

    assert expert["score"] > naive["score"]
    assert expert["availability_ratio"] > naive["availability_ratio"]


class ActingFrom:
    """A policy that only starts reading frames at `start_s`."""

    def __init__(self, policy: Any, start_s: float) -> None:
        self.policy = policy
        self.start_s = start_s

    def decide(
        self, frame_signals: dict[str, Any], catalog: list[dict[str, Any]]
    ) -> list[tuple[str, dict[str, Any]]]:
        if frame_signals["game_time_s"] < self.start_s:
            return []
        decided: list[tuple[str, dict[str, Any]]] = self.policy.decide(
            frame_signals, catalog
        )
        return decided


def in_slo(frame_signals: dict[str, Any]) -> bool:
    users = frame_signals["users"]
    return bool(users["error_ratio"] <= 0.001 and users["latency_p99_ms"] <= 300)


def back_in_slo_from(policy: Any) -> float | None:
    """The game second from which every later second was within SLO, if any."""
    scenario = load_scenario(CELEBRITY_POST)
    frames = play(scenario, 1, policy, sample_every_s=1)["frames"]
    since = None
    for frame in frames:
        if not in_slo(frame):
            since = None
        elif since is None:
            since = frame["game_time_s"]
    return since


def test_an_expert_called_in_after_the_collapse_still_recovers() -> None:
    """Acting only from 150 s, with the system already down, the expert
    brings it back within SLO and keeps it there for the rest of the game."""
    collapsed = play(load_scenario(CELEBRITY_POST), 1, None, sample_every_s=150)
    assert collapsed["frames"][0]["users"]["error_ratio"] > 0.5  # down at 150 s

    since = back_in_slo_from(ActingFrom(ExpertPolicy(), 150.0))

    assert since is not None and since < 300


def test_a_naive_responder_called_in_after_the_collapse_does_not_recover() -> None:
    """Adding replicas and restarting from 150 s never gets back within SLO."""
    assert back_in_slo_from(ActingFrom(NaivePolicy(), 150.0)) is None


def test_naive_adds_replicas_when_errors_rise_then_restarts() -> None:
    policy = NaivePolicy()

    first = policy.decide(frame(100, 0.2, api={"replicas": 20}), catalog())
    again = policy.decide(frame(101, 0.2, api={"replicas": 20}), catalog())
    policy.decide(frame(160, 0.2, api={"replicas": 30}), catalog())
    last = policy.decide(frame(190, 0.2, api={"replicas": 40}), catalog())

    assert first == [("scale_api", {"replicas": 30})]
    assert again == []
    assert last == [("restart_api", {})]


def test_naive_does_nothing_while_all_is_well() -> None:
    assert NaivePolicy().decide(frame(100), catalog()) == []


def test_expert_treats_a_hot_key_with_coalescing_and_stale_reads() -> None:
    cache = {"hot_key_rps": 4000, "lookups_rps": 9000, "hot_key_hit_ratio": 1.0}

    decided = ExpertPolicy().decide(frame(70, cache=cache), catalog())

    assert decided == [("enable_coalescing", {}), ("serve_stale", {"enabled": True})]


def test_expert_answers_refused_connections_with_a_pooler() -> None:
    db = {"refused_rps": 30, "active_queries": 200}

    names = [name for name, _ in ExpertPolicy().decide(frame(200, db=db), catalog())]

    assert names == ["enable_db_pooler", "set_autoscaler"]


def test_expert_sheds_while_the_queue_is_long_then_stops() -> None:
    policy = ExpertPolicy()
    backlog = {"queue": 50000, "served_rps": 15000}
    drained = {"queue": 0, "served_rps": 9000}

    assert policy.decide(frame(130, api=backlog), catalog())[0][0] == "shed_load"
    assert policy.decide(frame(131, api=drained), catalog()) == []
    assert policy.decide(frame(151, api=drained), catalog()) == [
        ("shed_load", {"share": 0.0, "drop_expired": True})
    ]


def test_expert_backs_off_retries_when_they_multiply_the_load() -> None:
    clients = {"retry_ratio": 2.5}

    decided = ExpertPolicy().decide(frame(140, clients=clients), catalog())

    assert decided == [
        (
            "client_retry_policy",
            {
                "max_retries": 2,
                "backoff": "exponential_jitter",
                "base_ms": 200,
                "budget_ratio": 0.1,
            },
        )
    ]


def test_policies_only_send_actions_the_catalog_offers() -> None:
    cache = {"hot_key_rps": 4000, "lookups_rps": 9000}

    decided = ExpertPolicy().decide(frame(70, cache=cache), [{"action": "scale_api"}])

    assert decided == []


def test_policies_are_deterministic() -> None:
    scenario = load_scenario(CELEBRITY_POST)

    first = play(scenario, 2, POLICIES["naive"]())
    second = play(scenario, 2, POLICIES["naive"]())

    assert json.dumps(first) == json.dumps(second)


def test_policies_module_imports_without_django() -> None:
    code = (
        "import importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location("
        "'policies', 'wargame/bots/policies.py')\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "print('django' in sys.modules, sorted(module.POLICIES))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "False ['expert', 'naive']"
