"""Log lines: what the real components would write about one tick.

Players read these as they would read a log search: the database refusing
connections and logging slow statements, the API's pool and queue, the load
balancer's 499s, the cache's misses. Each kind of line is written at most once
per game second (Signals.log), with the numbers of the moment.
"""

from __future__ import annotations

from simulation.cache import Cache
from simulation.database import Database
from simulation.service import ApiService
from simulation.signals import Signals, TickRecord

# Postgres logs statements slower than this (log_min_duration_statement).
SLOW_QUERY_LOG_MS = 500.0
# The API logs its queue depth when it is longer than this.
QUEUE_LOG_THRESHOLD = 1000.0
HOT_QUERY = (
    "SELECT p.*, c.likes, c.comments FROM posts p "
    "JOIN post_counters c ON c.post_id = p.id WHERE p.id = $1"
)
FEED_QUERY = (
    "SELECT * FROM feed_items WHERE user_id = $1 ORDER BY created_at DESC LIMIT 50"
)


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
    _cache(signals, tick, record, api.cache, api.tick_s)


def _database(
    signals: Signals,
    tick: int,
    record: TickRecord,
    database: Database,
    query_ms: tuple[float, float],
) -> None:
    if database.missing_connections > 0:
        text = "FATAL: sorry, too many clients already"
        signals.log(tick, "db", "error", text, "refused")
    if record.db_hot_queries > 0 and query_ms[1] >= SLOW_QUERY_LOG_MS:
        text = f"duration: {query_ms[1]:.0f} ms  statement: {HOT_QUERY}"
        signals.log(tick, "db", "warning", text, "slow-hot")
    elif record.db_queries > 0 and query_ms[0] >= SLOW_QUERY_LOG_MS:
        text = f"duration: {query_ms[0]:.0f} ms  statement: {FEED_QUERY}"
        signals.log(tick, "db", "warning", text, "slow-feed")


def _api(signals: Signals, tick: int, record: TickRecord, api: ApiService) -> None:
    timeout_ms = api.spec.pool_timeout * 1000
    if record.pool_timeouts > record.starved:
        text = (
            f"db pool: connection not available, request timed out after "
            f"{timeout_ms:.0f} ms ({api.database.waiting():.0f} waiting)"
        )
        signals.log(tick, "api", "error", text, "pool-timeout")
    if record.starved > 0:
        text = (
            "db pool: cannot open connection: FATAL: sorry, too many clients "
            f"already; request failed after {timeout_ms:.0f} ms"
        )
        signals.log(tick, "api", "error", text, "pool-starved")
    if api.queued > QUEUE_LOG_THRESHOLD:
        text = (
            f"request queue depth {api.queued:.0f}, oldest waiting "
            f"{record.oldest_wait_ms / 1000:.1f} s"
        )
        signals.log(tick, "api", "warning", text, "queue")
    if record.wasted > 0:
        per_second = record.wasted / api.tick_s
        text = f"499 client closed request before the response ({per_second:.0f}/s)"
        signals.log(tick, "api", "warning", text, "wasted")


def _cache(
    signals: Signals, tick: int, record: TickRecord, cache: Cache, tick_s: float
) -> None:
    if record.hot_lookups > 0 and record.hot_hits < record.hot_lookups * 0.5:
        reads_per_s = record.hot_lookups / tick_s
        text = f"miss on {cache.hot.name} ({reads_per_s:.0f} reads/s)"
        signals.log(tick, "cache", "info", text, "hot-miss")
