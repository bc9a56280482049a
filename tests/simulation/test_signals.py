"""Signals: log lines are rate-limited; alerts fire and clear with the data."""

from simulation.latency import LatencyHistogram
from simulation.signals import SecondSummary, Signals


def summary(second: int, users: float, good: float) -> SecondSummary:
    histogram = LatencyHistogram()
    histogram.add(40.0, users)
    return SecondSummary(second, users, good, histogram, 0.0, 8.0, 0.0, 0.0, 0.0)


def test_a_lasting_condition_is_logged_again_every_few_seconds() -> None:
    signals = Signals(tick_s=0.1)

    for tick in range(120):
        signals.log(tick, "db", "error", "FATAL:  sorry, too many clients already", "x")

    assert [line["game_time_s"] for line in signals.logs] == [0.0, 5.0, 10.0]


def test_no_more_than_a_few_lines_a_second_but_one_off_lines_always() -> None:
    signals = Signals(tick_s=0.1)

    for key in "abcdef":
        signals.log(3, "api", "warning", f"condition {key}", key)
    signals.log(3, "autoscaler", "info", "scaled api", "scaled", every_s=0.0)
    for key in "abcdef":
        signals.log(10, "api", "warning", f"condition {key}", key)

    texts = [line["text"] for line in signals.logs]
    assert texts == [
        "condition a", "condition b", "condition c", "scaled api",
        "condition d", "condition e", "condition f",
    ]  # fmt: skip


def test_an_alert_fires_while_its_condition_holds_and_keeps_its_start() -> None:
    signals = Signals(tick_s=0.1)
    for second in range(1, 11):
        signals.evaluate_alerts(summary(second, 1000, 1000))
    assert signals.firing == {}

    for second in range(11, 16):
        signals.evaluate_alerts(summary(second, 1000, 500))

    alert = signals.firing["HighErrorRatio"]
    assert alert["since_s"] == 11.0
    assert alert["severity"] == "page"


def test_an_alert_clears_when_the_window_is_healthy_again() -> None:
    signals = Signals(tick_s=0.1)
    signals.evaluate_alerts(summary(1, 1000, 0))

    for second in range(2, 70):
        signals.evaluate_alerts(summary(second, 1000, 1000))

    assert "HighErrorRatio" not in signals.firing
