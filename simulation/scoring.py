"""The score: the SLO as users saw it, and the capacity bought.

The SLO is measured at the client on each user request's final outcome after
retries: a request is good if it succeeded within `slo.good_within`. Over the
game the share of good requests must reach `slo.availability_ratio`, and the
p99 latency of final outcomes must stay within `slo.latency_p99`.

Points, out of budget_points + slo_time_points (1000 by default):

- error budget left: the failures the SLO allows over the game so far, minus
  those spent, as a share, times budget_points;
- time within SLO: the share of game seconds whose own availability and p99
  met the SLO, times slo_time_points;
- capacity bought: minus the cost of replicas above the start, the pooler and
  pre-warm jobs.
"""

from __future__ import annotations

from typing import Any

from simulation.latency import LatencyHistogram
from simulation.scenario import Scenario
from simulation.signals import SecondSummary


class Scorer:
    """Accumulates the SLO's counts and the cost, and reports the score."""

    def __init__(self, scenario: Scenario, start_replicas: int) -> None:
        self.slo = scenario.slo
        self.points = scenario.scoring
        self.start_replicas = start_replicas
        self.users = 0.0
        self.good = 0.0
        self.histogram = LatencyHistogram()
        self.seconds = 0
        self.seconds_in_slo = 0
        self.cost = 0.0
        self.pooler_on = False

    def add_second(self, summary: SecondSummary) -> None:
        """Count one game second's final outcomes."""
        self.users += summary.users
        self.good += summary.good
        self.histogram.merge([summary.histogram])
        self.seconds += 1
        if self._second_in_slo(summary):
            self.seconds_in_slo += 1

    def _second_in_slo(self, summary: SecondSummary) -> bool:
        if summary.users <= 0:
            return True
        availability = summary.good / summary.users
        p99_ms = summary.histogram.percentile_ms(0.99)
        return (
            availability >= self.slo.availability_ratio
            and p99_ms <= self.slo.latency_p99 * 1000
        )

    def accrue(self, replicas: int, seconds: float) -> None:
        """Charge running capacity for `seconds` of game time."""
        extra = max(0, replicas - self.start_replicas)
        self.cost += extra * seconds / 60 * self.points.replica_minute_cost
        if self.pooler_on:
            self.cost += seconds / 60 * self.points.pooler_minute_cost

    def add_cost(self, points: float) -> None:
        """Charge a one-off cost (a pre-warm job)."""
        self.cost += points

    def score(self) -> dict[str, Any]:
        """The score and its parts, as in a frame's `score`."""
        availability = self.good / self.users if self.users > 0 else 1.0
        budget = (1.0 - self.slo.availability_ratio) * self.users
        spent = self.users - self.good
        budget_left = 1.0 if budget <= 0 else max(0.0, 1.0 - spent / budget)
        in_slo = self.seconds_in_slo / self.seconds if self.seconds else 1.0
        p99_ms = self.histogram.percentile_ms(0.99)
        points = [
            ("error budget left", budget_left * self.points.budget_points),
            ("time within SLO", in_slo * self.points.slo_time_points),
            ("capacity bought", -self.cost if self.cost else 0.0),
        ]
        parts = [{"name": name, "points": round(value, 1)} for name, value in points]
        return {
            "score": round(sum(round(value, 1) for _, value in points), 1),
            "availability_ratio": round(availability, 5),
            "latency_p99_ms": round(p99_ms, 1),
            "error_budget_left_ratio": round(budget_left, 4),
            "time_in_slo_ratio": round(in_slo, 4),
            "cost": round(self.cost, 1),
            "slo_met": bool(
                availability >= self.slo.availability_ratio
                and p99_ms <= self.slo.latency_p99 * 1000
            ),
            "parts": parts,
        }
