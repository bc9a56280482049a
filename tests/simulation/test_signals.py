"""Signals: log lines are rate-limited; alerts fire and clear with the data."""

from simulation.latency import LatencyHistogram
from simulation.signals import SecondSummary, Signals


def summary(second: int, users: float, good: float) -> SecondSummary:
    histogram = LatencyHistogram()
    histogram.add(40.0, users)
    return SecondSummary(second, users, good, histogram, 0.0, 8.0, 0.0, 0.0, 0.0)


def test_a_kind_of_log_line_is_written_at_most_once_a_second() -> None:
    signals = Signals(tick_s=0.1)

    for tick in range(25):
        signals.log(tick, "db", "error", "FATAL: sorry, too many clients already", "x")

    assert [line["game_time_s"] for line in signals.logs] == [0.0, 1.0, 2.0]


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
