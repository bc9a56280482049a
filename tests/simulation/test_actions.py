"""The action catalog, validation messages, and what applying returns."""

import pytest
from sim_helpers import variant

from simulation import ActionError, Simulation

PARAM_TYPES = {"int", "float", "bool", "choice"}


def simulation() -> Simulation:
    return Simulation(variant(), 1)


def test_the_catalog_describes_each_allowed_action() -> None:
    catalog = simulation().catalog()

    assert [entry["action"] for entry in catalog] == variant().mitigations
    for entry in catalog:
        assert set(entry) == {
            "action",
            "label",
            "description",
            "delay_s",
            "cost",
            "params",
        }
        assert entry["delay_s"] >= 0
        for param in entry["params"].values():
            assert param["type"] in PARAM_TYPES
            assert "default" in param and "unit" in param
            if param["type"] == "choice":
                assert param["default"] in param["choices"]


def test_the_catalog_offers_only_the_scenario_mitigations() -> None:
    sim = Simulation(variant(mitigations=["scale_api", "restart_api"]), 1)

    assert [entry["action"] for entry in sim.catalog()] == ["scale_api", "restart_api"]
    with pytest.raises(ActionError, match="action: expected one of scale_api"):
        sim.validate_action("enable_coalescing", {})


def test_validation_fills_defaults_and_normalises_numbers() -> None:
    sim = simulation()

    assert sim.validate_action("scale_api", {}) == {"replicas": 20}
    assert sim.validate_action("scale_api", {"replicas": 30.0}) == {"replicas": 30}
    assert sim.validate_action("shed_load", {"share": 0}) == {
        "share": 0.0,
        "drop_expired": True,
    }


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        (
            "scale_api",
            {"replicas": "many"},
            "replicas: expected an integer from 1 to 200",
        ),
        ("scale_api", {"replicas": 0}, "replicas: expected an integer from 1 to 200"),
        ("scale_api", {"replicas": 2.5}, "replicas: expected an integer"),
        ("scale_api", {"replicas": True}, "replicas: expected an integer"),
        ("scale_api", {"replicas": float("nan")}, "replicas: expected an integer"),
        ("scale_api", {"replicas": float("inf")}, "replicas: expected an integer"),
        ("shed_load", {"share": float("-inf")}, "share: expected a number"),
        ("shed_load", {"share": 0.95}, "share: expected a number from 0 to 0.9"),
        ("serve_stale", {"enabled": "yes"}, "enabled: expected true or false"),
        (
            "client_retry_policy",
            {"backoff": "linear"},
            "backoff: expected one of none, exponential, exponential_jitter",
        ),
        ("cap_db_pool", {"size": 3}, "size: unknown parameter of cap_db_pool"),
        ("restart_api", [], "params: expected an object"),
        ("launch_rocket", {}, "action: expected one of"),
    ],
)
def test_validation_errors_name_the_field_and_what_was_expected(
    name: str, params: object, message: str
) -> None:
    with pytest.raises(ActionError) as caught:
        simulation().validate_action(name, params)  # type: ignore[arg-type]

    assert str(caught.value).startswith(message)


def test_apply_returns_the_timeline_entry_and_records_an_event() -> None:
    sim = simulation()
    sim.advance_to(100)

    entry = sim.apply("scale_api", {"replicas": 25}, by="alice")
    sim.advance_to(110)

    assert entry == {
        "action": "scale_api",
        "params": {"replicas": 25},
        "player": "alice",
        "applied_tick": 100,
        "applied_game_time_s": 10.0,
        "effective_game_time_s": 60.0,
    }
    assert sim.frame()["events"] == [
        {"game_time_s": 10.0, "kind": "action", "text": "alice: scale_api replicas=25"}
    ]


def test_an_action_reports_when_it_took_effect() -> None:
    sim = simulation()
    sim.apply("enable_coalescing", {}, by="bob")

    sim.advance_to(310)

    texts = [event["text"] for event in sim.frame()["events"]]
    assert texts == ["enable coalescing took effect"]
    assert sim.cache.coalescing


def test_apply_rejects_bad_params_without_side_effects() -> None:
    sim = simulation()

    with pytest.raises(ActionError):
        sim.apply("scale_api", {"replicas": -1}, by="alice")

    sim.advance_to(10)
    assert sim.frame()["events"] == []


def test_a_later_roll_out_supersedes_one_in_progress() -> None:
    sim = simulation()
    sim.apply("cap_db_pool", {"connections_per_replica": 2}, by="alice")
    sim.advance_to(100)

    sim.apply("cap_db_pool", {"connections_per_replica": 10}, by="bob")
    sim.advance_to(1000)

    assert sim.api.pool_per_replica == 10


def test_an_action_applied_at_a_frame_shows_in_the_next_frame_only() -> None:
    sim = simulation()
    sim.advance_to(100)
    sim.apply("enable_coalescing", {}, by="alice")

    now = sim.frame()["events"]
    sim.advance_to(110)
    following = sim.frame()["events"]
    sim.advance_to(120)

    assert now == []
    assert [event["text"] for event in following] == ["alice: enable_coalescing"]
    assert sim.frame()["events"] == []


def test_a_later_setting_supersedes_one_not_yet_in_effect() -> None:
    sim = simulation()
    sim.apply("shed_load", {"share": 0.5}, by="alice")
    sim.advance_to(20)

    sim.apply("shed_load", {"share": 0.0}, by="bob")
    sim.advance_to(105)

    assert sim.api.shed_share == 0.0
    assert sim.records[-1].shed == 0
