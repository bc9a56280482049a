"""Frames: what one team sees at one tick, as JSON-able dicts.

A frame reads the tick records of the last second of game time (rates per
second, ratios over the second, gauges at the last tick), the alerts firing
now, and the logs and events of that second. Its shape is the contract in
docs/protocol.md, section 2; components carry more metrics than the contract's
minimum, and the browser charts every number it is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulation.latency import LatencyHistogram
from simulation.signals import COUNTERS, TickRecord

if TYPE_CHECKING:
    from simulation.engine import Simulation


# A frame that covers many game seconds carries only the newest lines.
MAX_LOGS_PER_FRAME = 60


def _sums(records: list[TickRecord]) -> dict[str, float]:
    return {name: sum(getattr(r, name) for r in records) for name in COUNTERS}


def _ratio(part: float, whole: float, empty: float) -> float:
    return round(part / whole, 4) if whole > 1e-9 else empty


def _rate(count: float, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else 0.0


def build_frame(sim: Simulation, since_s: float | None = None) -> dict[str, Any]:
    """The frame at `sim.tick`; logs and events since `since_s` if given."""
    records = list(sim.records)
    seconds = len(records) * sim.tick_s
    sums = _sums(records)
    last = records[-1] if records else sim.record
    histogram = LatencyHistogram()
    histogram.merge(record.histogram for record in records)
    now_s = round(sim.game_time_s, 3)
    if since_s is None:
        since_s = sim.game_time_s - seconds
    return {
        "tick": sim.tick,
        "game_time_s": now_s,
        "duration_s": sim.duration_s,
        "users": _users(sums, seconds, histogram),
        "components": [
            _clients(sim, sums, seconds, last),
            _api(sim, sums, seconds, records, last),
            _cache(sums, seconds, records, last),
            _database(sim, sums, seconds, records, last),
        ],
        "alerts": [dict(alert) for alert in sim.signals.firing.values()],
        "logs": sim.signals.between(sim.signals.logs, since_s, sim.game_time_s)[
            -MAX_LOGS_PER_FRAME:
        ],
        "events": sim.signals.between(sim.signals.events, since_s, sim.game_time_s),
        "score": sim.score(),
    }


def _users(
    sums: dict[str, float], seconds: float, histogram: LatencyHistogram
) -> dict[str, float]:
    total, good = sums["final_total"], sums["final_good"]
    return {
        "offered_rps": _rate(sums["first_tries"], seconds),
        "success_rps": _rate(good, seconds),
        "error_ratio": _ratio(total - good, total, 0.0),
        "latency_p50_ms": round(histogram.percentile_ms(0.5), 1),
        "latency_p99_ms": round(histogram.percentile_ms(0.99), 1),
    }


def _clients(
    sim: Simulation, sums: dict[str, float], seconds: float, last: TickRecord
) -> dict[str, Any]:
    failed = sums["final_total"] - sums["final_ok"]
    return {
        "id": "clients",
        "kind": "clients",
        "label": "Apps (clients)",
        "metrics": {
            "errors_rps": _rate(failed, seconds),
            "first_tries_rps": _rate(sums["first_tries"], seconds),
            "attempts_rps": _rate(sums["attempts"], seconds),
            "retries_rps": _rate(sums["retries"], seconds),
            "timeouts_rps": _rate(sums["timeouts"], seconds),
            "retry_ratio": _ratio(sums["retries"], sums["first_tries"], 0.0),
            "retry_policy_rollout_ratio": round(last.policy_rollout, 4),
            "timeout_ms": round(sim.clients.timeout_ms, 1),
        },
    }


def _mean(records: list[TickRecord], name: str) -> float:
    if not records:
        return 0.0
    return sum(getattr(record, name) for record in records) / len(records)


def _api(
    sim: Simulation,
    sums: dict[str, float],
    seconds: float,
    records: list[TickRecord],
    last: TickRecord,
) -> dict[str, Any]:
    errors = (
        sums["api_errors"] + sums["shed"] + sums["rejected"] + sums["restart_dropped"]
    )
    return {
        "id": "api",
        "kind": "service",
        "label": "API servers",
        "metrics": {
            "utilisation_ratio": round(_mean(records, "utilisation"), 4),
            "queue": round(last.queue),
            "queue_limit": round(last.queue_limit),
            "rejected_rps": _rate(sums["rejected"], seconds),
            "errors_rps": _rate(errors, seconds),
            "replicas": int(last.replicas),
            "ready_replicas": int(last.ready_replicas),
            "db_pool_in_use": round(last.pool_in_use),
            "db_pool_size": round(last.pool_size),
            "db_pool_waiting": round(last.pool_waiting),
            "pool_timeouts_rps": _rate(sums["pool_timeouts"], seconds),
            "threads": int(last.threads),
            "threads_blocked_on_db": round(last.threads_on_db),
            "served_rps": _rate(sums["served"], seconds),
            "wasted_rps": _rate(sums["wasted"], seconds),
            "shed_rps": _rate(sums["shed"], seconds),
            "shed_ratio": round(last.shed_share, 4),
            "dropped_expired_rps": _rate(sums["dropped_expired"], seconds),
            "oldest_wait_ms": round(last.oldest_wait_ms, 1),
            "autoscaler_max_replicas": sim.api.autoscaler.max_replicas,
        },
    }


def _cache(
    sums: dict[str, float],
    seconds: float,
    records: list[TickRecord],
    last: TickRecord,
) -> dict[str, Any]:
    return {
        "id": "cache",
        "kind": "cache",
        "label": "Cache",
        "metrics": {
            "hit_ratio": _ratio(sums["cache_hits"], sums["cache_lookups"], 1.0),
            "hot_key_hit_ratio": _ratio(sums["hot_hits"], sums["hot_lookups"], 1.0),
            "utilisation_ratio": round(
                min(1.0, _mean(records, "cache_utilisation")), 4
            ),
            "errors_rps": _rate(sums["cache_errors"], seconds),
            "queue": round(last.coalesced_waiting),
            "lookups_rps": _rate(sums["cache_lookups"], seconds),
            "hot_key_rps": _rate(sums["hot_lookups"], seconds),
            "stale_served_rps": _rate(sums["stale_served"], seconds),
            "coalesced_rps": _rate(sums["coalesced"], seconds),
            "hot_key_misses_rps": _rate(sums["hot_misses"], seconds),
        },
    }


def _database(
    sim: Simulation,
    sums: dict[str, float],
    seconds: float,
    records: list[TickRecord],
    last: TickRecord,
) -> dict[str, Any]:
    queries = sums["db_queries"]
    base_ms = sim.database.base_query_ms[0]
    return {
        "id": "db",
        "kind": "database",
        "label": "Database",
        "metrics": {
            "connections_in_use": round(last.db_connections),
            "max_connections": sim.database.spec.max_connections,
            "utilisation_ratio": round(_mean(records, "db_utilisation"), 4),
            "query_ms": round(sums["db_query_ms_sum"] / queries, 1)
            if queries > 1e-9
            else round(base_ms, 1),
            "refused_rps": _rate(sums["refused"], seconds),
            "errors_rps": _rate(sums["refused"], seconds),
            "queue": round(last.db_waiting),
            "active_queries": round(last.db_active, 1),
            "queries_rps": _rate(queries, seconds),
            "hot_queries_rps": _rate(sums["db_hot_queries"], seconds),
        },
    }
