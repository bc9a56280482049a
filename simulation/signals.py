"""What players observe: per-tick records, alerts, logs, events and frames.

Every mechanism writes what happened in a tick into that tick's `TickRecord`
(counters of requests, gauges at the end of the tick, a latency histogram of
final outcomes). A frame reads the records of the last second of game time.
Alerts are evaluated once per game second over windows of 10 s to 1 min of
second summaries, the way Prometheus rules over rates would fire.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulation.latency import LatencyHistogram

COUNTERS = (
    "first_tries", "attempts", "retries", "timeouts",
    "final_total", "final_good", "final_ok",
    "shed", "rejected", "dropped_expired", "wasted", "served", "api_errors",
    "pool_timeouts",
    "starved", "restart_dropped",
    "cache_lookups", "cache_hits", "cache_errors", "hot_lookups", "hot_hits",
    "stale_served", "coalesced", "hot_misses",
    "db_queries", "db_query_ms_sum", "db_hot_queries", "refused",
)  # fmt: skip
GAUGES = (
    "queue", "queue_limit", "threads_on_db", "utilisation", "replicas",
    "ready_replicas", "threads",
    "pool_in_use", "pool_size", "pool_waiting", "db_connections", "db_active",
    "db_waiting", "db_utilisation", "cache_utilisation",
    "coalesced_waiting", "policy_rollout", "shed_share", "oldest_wait_ms",
)  # fmt: skip
# A lasting condition is logged again after this long (a log search shows
# one line per condition every few seconds, not one per request).
LOG_REPEAT_S = 5.0
# At most this many lines a game second, so that a human can read them live.
LOG_LINES_PER_S = 3


class TickRecord:
    """What happened during one tick, as counts of requests and end gauges.

    Counters count requests (fractions allowed: flows are fluid); gauges are
    read at the end of the tick.
    """

    __slots__ = (*COUNTERS, *GAUGES, "histogram", "good_within_ms")

    def __init__(self, good_within_ms: float) -> None:
        self.first_tries = 0.0
        self.attempts = 0.0
        self.retries = 0.0
        self.timeouts = 0.0
        self.final_total = 0.0
        self.final_good = 0.0
        self.final_ok = 0.0
        self.shed = 0.0
        self.rejected = 0.0
        self.dropped_expired = 0.0
        self.wasted = 0.0
        self.served = 0.0
        self.api_errors = 0.0
        self.pool_timeouts = 0.0
        self.starved = 0.0
        self.restart_dropped = 0.0
        self.cache_lookups = 0.0
        self.cache_hits = 0.0
        self.cache_errors = 0.0
        self.hot_lookups = 0.0
        self.hot_hits = 0.0
        self.stale_served = 0.0
        self.coalesced = 0.0
        self.hot_misses = 0.0
        self.db_queries = 0.0
        self.db_query_ms_sum = 0.0
        self.db_hot_queries = 0.0
        self.refused = 0.0
        self.queue = 0.0
        self.queue_limit = 0.0
        self.threads_on_db = 0.0
        self.utilisation = 0.0
        self.replicas = 0.0
        self.ready_replicas = 0.0
        self.threads = 0.0
        self.pool_in_use = 0.0
        self.pool_size = 0.0
        self.pool_waiting = 0.0
        self.db_connections = 0.0
        self.db_active = 0.0
        self.db_waiting = 0.0
        self.db_utilisation = 0.0
        self.cache_utilisation = 0.0
        self.coalesced_waiting = 0.0
        self.policy_rollout = 0.0
        self.shed_share = 0.0
        self.oldest_wait_ms = 0.0
        self.histogram = LatencyHistogram()
        self.good_within_ms = good_within_ms

    def final(
        self, size: float, ok: bool, user_ms: float, spread_ms: float = 0.0
    ) -> None:
        """Count user requests reaching their final outcome after retries."""
        self.final_total += size
        if ok:
            self.final_ok += size
            if user_ms <= self.good_within_ms:
                self.final_good += size
        self.histogram.add(user_ms, size, spread_ms if ok else 0.0)


@dataclass
class SecondSummary:
    """One game second, as the alert rules and the scoring see it."""

    second: int
    users: float
    good: float
    histogram: LatencyHistogram
    refused_rps: float
    query_ms: float
    queue: float
    hot_lookups: float
    hot_hits: float


def summarise(
    second: int, records: list[TickRecord], base_query_ms: float
) -> SecondSummary:
    """Fold the records of one second into its summary."""
    histogram = LatencyHistogram()
    histogram.merge(record.histogram for record in records)
    queries = sum(record.db_queries for record in records)
    query_ms_sum = sum(record.db_query_ms_sum for record in records)
    return SecondSummary(
        second=second,
        users=sum(record.final_total for record in records),
        good=sum(record.final_good for record in records),
        histogram=histogram,
        refused_rps=sum(record.refused for record in records),
        query_ms=query_ms_sum / queries if queries else base_query_ms,
        queue=records[-1].queue if records else 0.0,
        hot_lookups=sum(record.hot_lookups for record in records),
        hot_hits=sum(record.hot_hits for record in records),
    )


@dataclass
class AlertRule:
    """A condition over the last seconds; it fires while its check gives a text.

    Each check looks at a window (10 s to 1 min) of second summaries, which
    plays the part of a Prometheus rule's `for:`.
    """

    name: str
    severity: str
    check: Callable[[AlertWindow], str | None]  # text when the condition holds


class AlertWindow:
    """The last minute of second summaries, with running sums."""

    def __init__(self, seconds: int = 60) -> None:
        self.seconds: deque[SecondSummary] = deque()
        self.size = seconds
        self.users = 0.0
        self.good = 0.0
        self.histogram = LatencyHistogram()

    def push(self, summary: SecondSummary) -> None:
        """Add a second; drop the one that leaves the window."""
        self.seconds.append(summary)
        self.users += summary.users
        self.good += summary.good
        self.histogram.merge([summary.histogram])
        if len(self.seconds) > self.size:
            old = self.seconds.popleft()
            self.users -= old.users
            self.good -= old.good
            self.histogram.subtract(old.histogram)

    def recent(self, count: int) -> list[SecondSummary]:
        """The last `count` seconds, oldest first."""
        return list(self.seconds)[-count:]


def _error_ratio(window: AlertWindow) -> str | None:
    if window.users <= 0:
        return None
    ratio = 1.0 - window.good / window.users
    if ratio <= 0.01:
        return None
    return "error ratio %.1f%% over 1m (requests failed or slower than 1 s)" % (
        ratio * 100
    )


def _latency(window: AlertWindow) -> str | None:
    p99 = window.histogram.percentile_ms(0.99)
    if p99 <= 300:
        return None
    return f"p99 latency {p99:.0f} ms over 1m"


def _refused(window: AlertWindow) -> str | None:
    recent = window.recent(10)
    refused = sum(summary.refused_rps for summary in recent)
    if refused <= 0:
        return None
    return f"db refused {refused:.0f} connections in the last 10s (max_connections)"


def _slow_queries(window: AlertWindow) -> str | None:
    recent = window.recent(30)
    if not recent or min(summary.query_ms for summary in recent) <= 100:
        return None
    return f"db mean query time {recent[-1].query_ms:.0f} ms"


def _queue(window: AlertWindow) -> str | None:
    recent = window.recent(15)
    if not recent or min(summary.queue for summary in recent) <= 1000:
        return None
    return f"api request queue at {recent[-1].queue:.0f} requests"


def _hot_key(window: AlertWindow) -> str | None:
    recent = window.recent(30)
    lookups = sum(summary.hot_lookups for summary in recent)
    if lookups < 1000:
        return None
    ratio = sum(summary.hot_hits for summary in recent) / lookups
    if ratio >= 0.9:
        return None
    return "cache hit ratio %.0f%% on the most read key (30s)" % (ratio * 100)


ALERT_RULES = (
    AlertRule("HighErrorRatio", "page", _error_ratio),
    AlertRule("HighLatencyP99", "page", _latency),
    AlertRule("DBConnectionsRefused", "page", _refused),
    AlertRule("DBSlowQueries", "ticket", _slow_queries),
    AlertRule("APIQueueBacklog", "ticket", _queue),
    AlertRule("CacheHotKeyMisses", "ticket", _hot_key),
)


class Signals:
    """Logs, events and alerts of one team's system, in game time."""

    def __init__(self, tick_s: float) -> None:
        self.tick_s = tick_s
        self.ticks_per_second = max(1, round(1 / tick_s))
        self.logs: deque[dict[str, Any]] = deque(maxlen=500)
        self.events: list[dict[str, Any]] = []
        self.window = AlertWindow()
        self.firing: dict[str, dict[str, Any]] = {}
        self._last_logged: dict[str, int] = {}
        self._budget_second = -1
        self._budget_used = 0

    def log(
        self,
        tick: int,
        component: str,
        level: str,
        text: str,
        key: str,
        every_s: float = LOG_REPEAT_S,
    ) -> None:
        """Add a log line, at most one per `key` per `every_s` of game time.

        Lines beyond LOG_LINES_PER_S in a game second wait for a later tick
        (a condition that lasts is written when there is room), except
        one-off lines (`every_s=0`), which are always written.
        """
        last = self._last_logged.get(key)
        if last is not None and tick - last < every_s * self.ticks_per_second:
            return
        second = tick // self.ticks_per_second
        if second != self._budget_second:
            self._budget_second = second
            self._budget_used = 0
        if every_s > 0 and self._budget_used >= LOG_LINES_PER_S:
            return
        self._budget_used += 1
        self._last_logged[key] = tick
        self.logs.append(
            {
                "game_time_s": round(tick * self.tick_s, 1),
                "component": component,
                "level": level,
                "text": text,
            }
        )

    def event(self, tick: int, kind: str, text: str) -> None:
        """Record a fault or an action on the timeline."""
        self.events.append(
            {"game_time_s": round(tick * self.tick_s, 1), "kind": kind, "text": text}
        )

    def evaluate_alerts(self, summary: SecondSummary) -> None:
        """Push a second into the window and update which alerts fire."""
        self.window.push(summary)
        for rule in ALERT_RULES:
            text = rule.check(self.window)
            if text is None:
                self.firing.pop(rule.name, None)
                continue
            alert = self.firing.setdefault(
                rule.name,
                {"name": rule.name, "severity": rule.severity,
                 "since_s": float(summary.second)},
            )  # fmt: skip
            alert["text"] = text

    def between(
        self,
        entries: list[dict[str, Any]] | deque[dict[str, Any]],
        start_s: float,
        end_s: float,
    ) -> list[dict[str, Any]]:
        """Entries stamped in [start_s, end_s), oldest first.

        A frame at game time t covers [t - 1 s, t): an action applied at t
        shows in the next frame, never in two.
        """
        low, high = start_s - 1e-6, end_s - 1e-6
        return [entry for entry in entries if low < entry["game_time_s"] < high]
