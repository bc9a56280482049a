"""Frames: the shape of docs/protocol.md section 2, over the last second."""

import json

from sim_helpers import run, variant

from simulation import Simulation

USERS_KEYS = {
    "offered_rps",
    "success_rps",
    "error_ratio",
    "latency_p50_ms",
    "latency_p99_ms",
}
REQUIRED_METRICS = {
    "api": {
        "utilisation_ratio",
        "queue",
        "errors_rps",
        "replicas",
        "ready_replicas",
        "db_pool_in_use",
    },
    "cache": {
        "hit_ratio",
        "hot_key_hit_ratio",
        "utilisation_ratio",
        "errors_rps",
        "queue",
    },
    "db": {
        "connections_in_use",
        "max_connections",
        "utilisation_ratio",
        "query_ms",
        "refused_rps",
        "errors_rps",
        "queue",
    },
}
SCORE_KEYS = {
    "score",
    "availability_ratio",
    "latency_p99_ms",
    "error_budget_left_ratio",
    "time_in_slo_ratio",
    "cost",
    "slo_met",
    "parts",
}


def test_a_frame_carries_the_keys_of_the_protocol() -> None:
    frame = run(130).frames[130]

    assert frame["tick"] == 1300
    assert frame["game_time_s"] == 130.0
    assert frame["duration_s"] == 900.0
    assert set(frame["users"]) == USERS_KEYS
    components = {entry["id"]: entry for entry in frame["components"]}
    for component_id, keys in REQUIRED_METRICS.items():
        assert keys <= set(components[component_id]["metrics"])
        assert components[component_id]["kind"]
        assert components[component_id]["label"]
    assert set(frame["score"]) == SCORE_KEYS
    assert json.loads(json.dumps(frame)) == frame


def test_every_metric_is_a_number_with_its_unit_in_its_name() -> None:
    frame = run(5).frames[5]

    for component in frame["components"]:
        for name, value in component["metrics"].items():
            assert isinstance(value, int | float) and not isinstance(value, bool)
            assert name == name.lower()


def test_a_healthy_system_answers_everything_fast() -> None:
    frame = run(30).frames[30]

    assert frame["users"]["error_ratio"] == 0
    assert 5500 < frame["users"]["success_rps"] < 6500
    assert frame["users"]["latency_p99_ms"] <= 300
    assert frame["alerts"] == []


def test_logs_and_events_cover_only_the_last_second() -> None:
    game = run(130)

    events = [
        event for second in range(1, 131) for event in game.frames[second]["events"]
    ]
    assert [event["game_time_s"] for event in events] == [60.0]
    for second, frame in game.frames.items():
        for line in frame["logs"] + frame["events"]:
            assert second - 1 <= line["game_time_s"] < second


def test_alerts_fire_with_the_time_they_started() -> None:
    frame = run(140).frames[140]

    names = {alert["name"]: alert for alert in frame["alerts"]}
    assert "HighErrorRatio" in names
    assert names["HighErrorRatio"]["severity"] == "page"
    assert 120 <= names["HighErrorRatio"]["since_s"] <= 140


def test_a_frame_read_seldom_still_carries_every_event_since_the_last() -> None:
    """A fast game reads a frame every few game seconds; no fault is lost."""
    sim = Simulation(variant(), seed=1)
    sim.advance_to(int(58 / sim.tick_s))
    since_s = sim.game_time_s
    sim.advance_to(int(65 / sim.tick_s))

    last_second = sim.frame()
    since_last_read = sim.frame(since_s=since_s)

    assert not [e for e in last_second["events"] if e["kind"] == "fault"]
    faults = [e for e in since_last_read["events"] if e["kind"] == "fault"]
    assert [e["game_time_s"] for e in faults] == [60.0]
