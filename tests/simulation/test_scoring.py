"""The score: error budget, time within SLO, and the capacity bought."""

from sim_helpers import run, variant

from simulation.latency import LatencyHistogram
from simulation.scoring import Scorer
from simulation.signals import SecondSummary


def second(users: float, good: float, latency_ms: float) -> SecondSummary:
    histogram = LatencyHistogram()
    histogram.add(latency_ms, users)
    return SecondSummary(0, users, good, histogram, 0.0, 8.0, 0.0, 0.0, 0.0)


def test_a_perfect_game_scores_every_point() -> None:
    scorer = Scorer(variant(), start_replicas=20)
    for _ in range(10):
        scorer.add_second(second(6000, 6000, 40))

    score = scorer.score()

    assert score["score"] == 1000.0
    assert score["slo_met"] is True
    assert score["parts"] == [
        {"name": "error budget left", "points": 400.0},
        {"name": "time within SLO", "points": 600.0},
        {"name": "capacity bought", "points": 0.0},
    ]


def test_failures_spend_the_error_budget() -> None:
    scorer = Scorer(variant(), start_replicas=20)
    scorer.add_second(second(10000, 10000, 40))
    scorer.add_second(second(10000, 9995, 40))  # 5 of the 20 allowed

    score = scorer.score()

    assert score["error_budget_left_ratio"] == 0.75
    assert score["time_in_slo_ratio"] == 1.0  # each second met 99.9 %
    assert score["availability_ratio"] == 0.99975
    assert score["slo_met"] is True


def test_a_second_with_too_many_failures_is_outside_the_slo() -> None:
    scorer = Scorer(variant(), start_replicas=20)
    scorer.add_second(second(1000, 1000, 40))
    scorer.add_second(second(1000, 990, 40))

    score = scorer.score()

    assert score["time_in_slo_ratio"] == 0.5
    assert score["error_budget_left_ratio"] == 0.0


def test_a_slow_second_is_outside_the_slo() -> None:
    scorer = Scorer(variant(), start_replicas=20)
    scorer.add_second(second(100, 100, 800))

    score = scorer.score()

    assert score["time_in_slo_ratio"] == 0.0
    assert score["latency_p99_ms"] > 300
    assert score["slo_met"] is False


def test_replicas_above_the_start_cost_points() -> None:
    scorer = Scorer(variant(), start_replicas=20)

    scorer.accrue(replicas=30, seconds=60)
    scorer.accrue(replicas=10, seconds=60)

    assert scorer.score()["cost"] == 5.0  # 10 replica-minutes at 0.5


def test_doing_nothing_through_the_celebrity_post_scores_badly() -> None:
    score = run(300).sim.score()

    assert score["availability_ratio"] < 0.6
    assert score["error_budget_left_ratio"] == 0
    assert score["slo_met"] is False
