"""The database: connections, a pool queue and query time under load.

Each API replica opens a fixed pool of connections at start (HikariCP's
default: minimum idle = maximum pool size). The database accepts connections
up to `max_connections` minus the reserved ones and refuses the rest with
"FATAL: sorry, too many clients already"; pools keep retrying what they miss.
A transaction pooler, when enabled, multiplexes the replicas' connections onto
a few database connections.

Queries wait in FIFO order for a connection; the first `limit` of them (one
per open connection) run. Running queries share the cores: past the cores
each query slows down in proportion, and further by a contention term per
extra active query (locks, context switches, cache thrash), so throughput
*falls* as concurrency grows past the cores. That fall is what keeps an
overloaded database overloaded.
"""

from __future__ import annotations

import math
from collections import deque

from simulation.clients import Cohort
from simulation.scenario import DatabaseSpec
from simulation.signals import TickRecord

ORDINARY = 0
HOT = 1


class DbEntry:
    """Queries of one kind, submitted in one tick, for one cohort."""

    __slots__ = ("cohort", "size", "kind", "enter_tick", "generation", "ready_tick")

    def __init__(
        self,
        cohort: Cohort | None,
        size: float,
        kind: int,
        enter_tick: int,
        generation: int,
    ) -> None:
        self.cohort = cohort  # None for a background fill (pre-warm job)
        self.size = size
        self.kind = kind
        self.enter_tick = enter_tick
        self.generation = generation  # the hot key's generation when read
        self.ready_tick = enter_tick  # no answer before one query time


class DbResults:
    """What the database finished in one tick: answers and pool timeouts."""

    __slots__ = ("completed", "timed_out", "query_ms")

    def __init__(self) -> None:
        self.completed: list[tuple[DbEntry, float]] = []
        self.timed_out: list[tuple[DbEntry, float]] = []
        self.query_ms = (0.0, 0.0)  # ordinary, hot


class Database:
    """Connections, the queue for them and the queries running on the cores."""

    def __init__(
        self, spec: DatabaseSpec, pool_timeout_s: float, tick_s: float
    ) -> None:
        self.spec = spec
        self.tick_s = tick_s
        self.tick_ms = tick_s * 1000
        self.base_query_ms = (spec.query_time * 1000, spec.hot_query_time * 1000)
        self.pool_timeout_ticks = max(1, round(pool_timeout_s / tick_s))
        self.usable_connections = max(
            0, spec.max_connections - spec.reserved_connections
        )
        self.queue: deque[DbEntry] = deque()
        self.queued = 0.0  # queries waiting or running
        self.work_ms = 0.0  # their work at no contention
        self.granted_direct = 0.0
        self.pooler_connections = 0.0
        self.missing_connections = 0.0
        self.limit = 0.0  # queries that can run at once (open connections)
        self.active = 0.0
        self.slowdown = 1.0
        self.cores = float(spec.cores)
        self.banked_ms = 0.0  # work done on queries that have not answered yet

    def connect(self, desired_direct: float, pooler_wanted: float) -> float:
        """Open or close connections toward what the pools and pooler want.

        1. Connections nobody wants any more are closed.
        2. Connections already open stay open (first come, first served).
        3. New ones are accepted while there is room: the pooler's first (one
           process asking for a few), then the replicas' pools.
        4. The rest are refused; returns the share of the wanted direct
           connections that could not be opened.
        """
        self.granted_direct = min(self.granted_direct, desired_direct)
        self.pooler_connections = min(self.pooler_connections, pooler_wanted)
        room = self.usable_connections - self.granted_direct - self.pooler_connections
        room = max(0.0, room)
        grow = min(room, pooler_wanted - self.pooler_connections)
        self.pooler_connections += grow
        room -= grow
        self.granted_direct += min(room, desired_direct - self.granted_direct)
        self.missing_connections = (
            desired_direct
            - self.granted_direct
            + pooler_wanted
            - self.pooler_connections
        )
        self.limit = self.granted_direct + self.pooler_connections
        missing_direct = desired_direct - self.granted_direct
        return missing_direct / desired_direct if desired_direct > 0 else 0.0

    def refused_per_tick(self) -> float:
        """Connection attempts refused this tick: each pool retries each second."""
        return self.missing_connections * self.tick_s

    def connections(self) -> float:
        """Connections open on the database (what pg_stat_activity counts)."""
        return self.granted_direct + self.pooler_connections

    def submit(
        self, cohort: Cohort | None, size: float, kind: int, tick: int, generation: int
    ) -> DbEntry | None:
        """Queue `size` queries for a connection."""
        if size <= 0:
            return None
        entry = DbEntry(cohort, size, kind, tick, generation)
        self.queue.append(entry)
        self.queued += size
        self.work_ms += size * self.base_query_ms[kind]
        return entry

    def step(self, tick: int, record: TickRecord) -> DbResults:
        """Run one tick: queries progress, finish, or time out waiting.

        1. Active queries = min(open connections, queued, what the work needs).
        2. Slowdown from the active queries and the cores left after refused
           connection attempts took their CPU.
        3. The work the cores deliver this tick finishes queries FIFO.
        4. Queries still waiting for a connection past the pool timeout fail.
        """
        results = DbResults()
        self._load(record)
        self._set_ready_ticks(tick)
        capacity_ms = self.active * self.tick_ms / self.slowdown + self.banked_ms
        self.banked_ms = 0.0
        queue = self.queue
        while queue and capacity_ms > 1e-9:
            entry = queue[0]
            if entry.ready_tick > tick:
                # Even the oldest query is still running: the cores' work
                # this tick goes into it and is banked until it answers.
                self.banked_ms = min(capacity_ms, self.work_ms)
                break
            base_ms = self.base_query_ms[entry.kind]
            done = min(entry.size, capacity_ms / base_ms)
            capacity_ms -= done * base_ms
            entry.size -= done
            self.queued -= done
            self.work_ms -= done * base_ms
            results.completed.append((entry, done))
            if entry.size <= 1e-9:
                queue.popleft()
        self._time_out_waiting(tick, results)
        results.query_ms = (
            self.base_query_ms[ORDINARY] * self.slowdown,
            self.base_query_ms[HOT] * self.slowdown,
        )
        for entry, done in results.completed:
            record.db_queries += done
            record.db_query_ms_sum += (
                done * self.base_query_ms[entry.kind] * self.slowdown
            )
            if entry.kind == HOT:
                record.db_hot_queries += done
        if not queue:
            self.queued = 0.0
            self.work_ms = 0.0
        return results

    def _load(self, record: TickRecord) -> None:
        refused = self.refused_per_tick()
        record.refused += refused
        attempts_per_s = refused / self.tick_s
        self.cores = max(
            1.0, self.spec.cores - attempts_per_s * self.spec.connection_attempt_cpu
        )
        needed = self.work_ms * self.slowdown / self.tick_ms
        self.active = min(self.limit, self.queued, max(needed, min(1.0, self.queued)))
        over = max(0.0, self.active - self.cores)
        self.slowdown = max(1.0, self.active / self.cores) * (
            1.0 + self.spec.contention_ratio * over
        )

    def _set_ready_ticks(self, tick: int) -> None:
        """Queries submitted this tick answer no sooner than their query time.

        The query time includes the slowdown they cause themselves: a
        stampede slows the very read that would end it.
        """
        for entry in reversed(self.queue):
            if entry.enter_tick != tick:
                break
            query_ms = self.base_query_ms[entry.kind] * self.slowdown
            entry.ready_tick = tick + int(query_ms / self.tick_ms)

    def _time_out_waiting(self, tick: int, results: DbResults) -> None:
        """Fail what waited for a connection longer than the pool timeout."""
        cutoff = tick - self.pool_timeout_ticks
        queue = self.queue
        running = min(self.limit, self.queued)
        kept: list[DbEntry] = []
        while queue and queue[0].enter_tick <= cutoff:
            entry = queue.popleft()
            if running >= entry.size:
                running -= entry.size
                kept.append(entry)
                continue
            if running > 0:
                part = DbEntry(
                    entry.cohort,
                    running,
                    entry.kind,
                    entry.enter_tick,
                    entry.generation,
                )
                part.ready_tick = entry.ready_tick
                kept.append(part)
                entry.size -= running
                running = 0.0
            self.queued -= entry.size
            self.work_ms -= entry.size * self.base_query_ms[entry.kind]
            results.timed_out.append((entry, entry.size))
        queue.extendleft(reversed(kept))

    def waiting(self) -> float:
        """Queries waiting for a connection (not running)."""
        return max(0.0, self.queued - self.limit)

    def drop_clients(self) -> list[tuple[Cohort, float]]:
        """The API restarted: its queries are cancelled with their connections."""
        dropped = [(e.cohort, e.size) for e in self.queue if e.cohort is not None]
        self.queue = deque(e for e in self.queue if e.cohort is None)
        self.queued = sum(e.size for e in self.queue)
        self.work_ms = sum(e.size * self.base_query_ms[e.kind] for e in self.queue)
        return dropped

    def utilisation(self) -> float:
        """Share of the cores busy with queries."""
        return min(1.0, self.active / self.spec.cores) if self.spec.cores else 0.0


def ceil_connections(value: float) -> float:
    """Connections are whole: round a fractional pool total up."""
    return float(math.ceil(value - 1e-9))
