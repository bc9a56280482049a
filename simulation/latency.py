"""Latency histograms built from flows, and percentiles read from them.

The model moves cohorts of requests, not single requests, so latency is kept
as weighted buckets: each cohort that finishes adds its size to the bucket of
its latency. The service-time part of a latency is spread over a few buckets
with fixed weights (a long-tailed service-time distribution), so that p99 has
a tail even when every cohort of a tick takes the same path.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

# Upper bounds of the buckets in ms; the last bucket is open-ended.
BUCKET_BOUNDS_MS: tuple[float, ...] = (
    5, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750,
    1000, 1500, 2000, 3000, 5000, 10000, 20000, 60000,
)  # fmt: skip
BUCKETS = len(BUCKET_BOUNDS_MS) + 1

# (weight, factor): how the service-time part of a latency is spread. The
# mean factor is ~1; 1 % of requests take 5x the median, a typical JVM/Python
# service tail from GC pauses and slow cores.
SERVICE_SPREAD: tuple[tuple[float, float], ...] = (
    (0.50, 0.7),
    (0.30, 1.0),
    (0.15, 1.5),
    (0.04, 2.5),
    (0.01, 5.0),
)


class LatencyHistogram:
    """Weighted counts of outcomes per latency bucket."""

    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts = [0.0] * BUCKETS

    def add(self, latency_ms: float, count: float, spread_ms: float = 0.0) -> None:
        """Add `count` outcomes at `latency_ms`, of which `spread_ms` is spread.

        `spread_ms` is the service-time part of `latency_ms`: it is replaced
        by itself times each factor of SERVICE_SPREAD, with its weight.
        """
        if count <= 0:
            return
        counts = self.counts
        if spread_ms <= 0:
            counts[bisect_left(BUCKET_BOUNDS_MS, latency_ms)] += count
            return
        fixed_ms = latency_ms - spread_ms
        for weight, factor in SERVICE_SPREAD:
            index = bisect_left(BUCKET_BOUNDS_MS, fixed_ms + spread_ms * factor)
            counts[index] += count * weight

    def merge(self, others: Iterable[LatencyHistogram]) -> None:
        """Add the counts of other histograms into this one."""
        counts = self.counts
        for other in others:
            for index, value in enumerate(other.counts):
                if value:
                    counts[index] += value

    def subtract(self, other: LatencyHistogram) -> None:
        """Remove another histogram's counts (for sliding windows)."""
        counts = self.counts
        for index, value in enumerate(other.counts):
            if value:
                counts[index] = max(0.0, counts[index] - value)

    def total(self) -> float:
        """All outcomes counted."""
        return sum(self.counts)

    def percentile_ms(self, quantile: float) -> float:
        """The latency below which `quantile` of the outcomes fall (0 if none).

        Linear interpolation inside the bucket; the open last bucket reads as
        1.5 times its lower bound.
        """
        total = sum(self.counts)
        if total <= 0:
            return 0.0
        target = quantile * total
        cumulative = 0.0
        for index, value in enumerate(self.counts):
            if value <= 0:
                continue
            if cumulative + value >= target:
                lower = BUCKET_BOUNDS_MS[index - 1] if index else 0.0
                if index == len(BUCKET_BOUNDS_MS):
                    return lower * 1.5
                upper = BUCKET_BOUNDS_MS[index]
                return lower + (upper - lower) * (target - cumulative) / value
            cumulative += value
        return BUCKET_BOUNDS_MS[-1] * 1.5
