"""Log lines: what the real components would write about one tick.

Players read these as they would read a log search: Postgres refusing
connections and logging slow statements, the API's connection pool timing
out, its request threads all busy, responses written to clients that already
hung up, the load balancer refusing requests, the cache missing the hot key.
A line is written only when its condition holds for at least one request a
second, each condition at most every few seconds, and a few lines a second in
all (Signals.log).
"""

from __future__ import annotations

from simulation.cache import Cache
from simulation.database import Database
from simulation.service import ApiService
from simulation.signals import Signals, TickRecord

# Postgres logs statements slower than this (log_min_duration_statement).
SLOW_QUERY_LOG_MS = 500.0
# A condition is worth a line when it concerns at least this many requests a
# second; below it, fluid flows leave only rounding dust.
LOG_MIN_RPS = 1.0
HOT_QUERY = (
    "SELECT p.*, c.likes, c.comments FROM posts p "
    "JOIN post_counters c ON c.post_id = p.id WHERE p.id = $1"
)
FEED_QUERY = (
    "SELECT * FROM feed_items WHERE user_id = $1 ORDER BY created_at DESC LIMIT 50"
)
REQUEST = '"GET /v2/feed HTTP/1.1"'


def write_tick_logs(
    signals: Signals,
    tick: int,
    record: TickRecord,
    api: ApiService,
    query_ms: tuple[float, float],
) -> None:
    """Write the lines of one tick, component by component."""
    _database(signals, tick, record, api.database, query_ms)
    _api(signals, tick, record, api)
    _edge(signals, tick, record, api)
    _cache(signals, tick, record, api.cache, api.tick_s)


def _per_s(count: float, tick_s: float) -> float:
    return count / tick_s


def _database(
    signals: Signals,
    tick: int,
    record: TickRecord,
    database: Database,
    query_ms: tuple[float, float],
) -> None:
    if _per_s(record.refused, database.tick_s) >= LOG_MIN_RPS:
        text = "FATAL:  sorry, too many clients already"
        signals.log(tick, "db", "error", text, "refused")
    if record.db_hot_queries > 0 and query_ms[1] >= SLOW_QUERY_LOG_MS:
        text = f"LOG:  duration: {query_ms[1]:.3f} ms  statement: {HOT_QUERY}"
        signals.log(tick, "db", "warning", text, "slow-hot")
    elif record.db_queries > 0 and query_ms[0] >= SLOW_QUERY_LOG_MS:
        text = f"LOG:  duration: {query_ms[0]:.3f} ms  statement: {FEED_QUERY}"
        signals.log(tick, "db", "warning", text, "slow-feed")


def _api(signals: Signals, tick: int, record: TickRecord, api: ApiService) -> None:
    """HikariCP's pool messages, the thread pool, and responses nobody reads."""
    tick_s = api.tick_s
    timeout_ms = api.spec.pool_timeout * 1000
    replicas = max(1, api.ready)
    if _per_s(record.pool_timeouts - record.starved, tick_s) >= LOG_MIN_RPS:
        pool = api.pool_per_replica
        waiting = record.pool_waiting / replicas
        text = (
            f"HikariPool-1 - Connection is not available, request timed out after "
            f"{timeout_ms:.0f}ms (total={pool:.0f}, active={pool:.0f}, idle=0, "
            f"waiting={waiting:.0f})"
        )
        signals.log(tick, "api", "error", text, "pool-timeout")
    if _per_s(record.starved, tick_s) >= LOG_MIN_RPS:
        text = (
            "HikariPool-1 - Pool is empty, failed to create/setup connection: "
            "FATAL: sorry, too many clients already"
        )
        signals.log(tick, "api", "error", text, "pool-starved")
    threads = api.spec.threads_per_replica
    if record.oldest_wait_ms >= 1000 and api.queued / replicas >= threads:
        text = (
            f"all {threads} request threads busy; {api.queued / replicas:.0f} "
            f"requests waiting, oldest for {record.oldest_wait_ms:.0f} ms"
        )
        signals.log(tick, "api", "warning", text, "threads")
    if _per_s(record.wasted, tick_s) >= LOG_MIN_RPS:
        text = (
            f"ClientAbortException: java.io.IOException: Broken pipe "
            f"(response to {REQUEST} after {record.oldest_wait_ms:.0f} ms queued)"
        )
        signals.log(tick, "api", "warning", text, "wasted")


def _edge(signals: Signals, tick: int, record: TickRecord, api: ApiService) -> None:
    """The load balancer: refused requests, and clients that hung up on it."""
    tick_s = api.tick_s
    if _per_s(record.rejected, tick_s) >= LOG_MIN_RPS:
        text = (
            f"{REQUEST} 503: upstream api refused the connection (listen backlog full)"
        )
        signals.log(tick, "lb", "error", text, "rejected")
    if _per_s(record.timeouts, tick_s) >= LOG_MIN_RPS:
        timeout_s = api.clients.timeout_ms / 1000
        text = f"{REQUEST} 499 0 request_time={timeout_s:.3f} (client closed request)"
        signals.log(tick, "lb", "warning", text, "client-closed")


def _cache(
    signals: Signals, tick: int, record: TickRecord, cache: Cache, tick_s: float
) -> None:
    misses = record.hot_lookups - record.hot_hits
    if _per_s(misses, tick_s) >= LOG_MIN_RPS and misses > record.hot_lookups * 0.5:
        text = (
            f"get {cache.hot.name}: miss, reading it from the database "
            f"({_per_s(misses, tick_s):.0f} misses/s)"
        )
        signals.log(tick, "cache", "info", text, "hot-miss")
