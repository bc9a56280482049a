"""The caches: in-process, shared (memcached-like) and the one hot key.

Ordinary keys are a hit ratio: reads go to the replica's in-process cache,
then to the shared cache, and what both miss goes to the database. The hot key
has a state of its own: it starts absent, is filled by the first database read
of it that completes, expires on its TTL and is deleted by invalidations.
Until a fill completes, every read of it misses and goes to the database (the
stampede), unless reads are coalesced (one fill per key, the others wait for
it) or a stale value may be served while one read revalidates.
"""

from __future__ import annotations

from collections import deque

from simulation.clients import Cohort
from simulation.scenario import CacheSpec

# A lookup the node is too busy to answer times out at the cache client after
# this long and is treated as a miss (typical memcached client timeout).
CACHE_TIMEOUT_MS = 50.0


class HotKey:
    """The state of the hot key in the shared cache."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.fresh_until_tick = -1  # fresh while tick < this
        self.stale_until_tick = -1  # a stale copy exists while tick < this
        self.generation = 0  # bumped by each invalidation
        self.fill_in_flight = False  # a single-flight fill is running

    def is_fresh(self, tick: int) -> bool:
        """Whether a read at `tick` hits."""
        return tick < self.fresh_until_tick

    def has_stale(self, tick: int) -> bool:
        """Whether a stale copy could be served at `tick`."""
        return tick < self.stale_until_tick


class CacheRouting:
    """Where one tick's hot-key reads go: the counts per path."""

    __slots__ = ("hits", "stale", "to_db", "waiting", "fill", "overflow")

    def __init__(self) -> None:
        self.hits = 0.0
        self.stale = 0.0
        self.to_db = 0.0
        self.waiting = 0.0
        self.fill = False  # one read of `to_db` starts a single-flight fill
        self.overflow = 0.0  # reads the overloaded node did not answer


class Cache:
    """In-process and shared cache, with the hot key's fill and waiters."""

    def __init__(
        self,
        spec: CacheSpec,
        local_hit_ratio: float,
        local_warmup_s: float,
        tick_s: float,
    ) -> None:
        self.spec = spec
        self.tick_s = tick_s
        self.local_hit_ratio = local_hit_ratio
        self.local_warmup_s = local_warmup_s
        self.local_warm_ratio = 1.0  # 0 right after the API restarts
        self.coalescing = spec.coalescing
        self.serve_stale = spec.serve_stale
        self.hot = HotKey(spec.hot_key)
        self.ttl_ticks = max(1, round(spec.ttl / tick_s))
        self.stale_ticks = round(spec.stale_window / tick_s)
        self.waiters: deque[tuple[Cohort, float, int]] = deque()
        self.fill_entry: object | None = None  # the single-flight read
        self.waiting = 0.0
        self.node_overload_ratio = 0.0

    def ordinary_miss_ratio(self) -> float:
        """Share of ordinary reads that reach the database."""
        local = self.local_hit_ratio * self.local_warm_ratio
        return (1.0 - local) * (1.0 - self.spec.hit_ratio)

    def shared_lookup_ratio(self) -> float:
        """Share of ordinary reads that reach the shared cache."""
        return 1.0 - self.local_hit_ratio * self.local_warm_ratio

    def warm_up(self) -> None:
        """The in-process caches fill a little more each tick."""
        if self.local_warm_ratio < 1.0:
            step = self.tick_s / self.local_warmup_s
            self.local_warm_ratio = min(1.0, self.local_warm_ratio + step)

    def set_load(self, hot_rps: float, ordinary_lookup_rps: float) -> float:
        """Load the hot key's node; return its utilisation (1 = saturated)."""
        node_rps = hot_rps + ordinary_lookup_rps / self.spec.nodes
        utilisation = node_rps / self.spec.node_capacity_rps
        self.node_overload_ratio = (
            max(0.0, 1.0 - 1.0 / utilisation) if utilisation > 1 else 0.0
        )
        return utilisation

    def hot_blocking_ratio(self, tick: int) -> float:
        """Share of hot-key reads that will wait on the DB or on a fill now."""
        key = self.hot
        if key.is_fresh(tick) or (self.serve_stale and key.has_stale(tick)):
            return self.node_overload_ratio
        return 1.0

    def route_hot(self, size: float, tick: int) -> CacheRouting:
        """Decide where `size` reads of the hot key go at `tick`.

        1. A node too busy to answer drops a share: those reads count as misses.
        2. Fresh key: hits.
        3. Stale copy and serve-stale on: served stale; one read revalidates.
        4. Coalescing on: one read fills, the others wait for that fill.
        5. Otherwise every read misses and queries the database.
        """
        routing = CacheRouting()
        routing.overflow = size * self.node_overload_ratio
        answered = size - routing.overflow
        key = self.hot
        if key.is_fresh(tick):
            routing.hits = answered
            routing.to_db = routing.overflow
            return routing
        if self.serve_stale and key.has_stale(tick):
            routing.stale = answered
            routing.to_db = routing.overflow
            self._start_fill(routing)
            return routing
        if self.coalescing:
            if not key.fill_in_flight:
                self._start_fill(routing)
            routing.waiting = max(0.0, answered - (1.0 if routing.fill else 0.0))
            routing.to_db += routing.overflow
            return routing
        routing.to_db = size
        return routing

    def _start_fill(self, routing: CacheRouting) -> None:
        if not self.hot.fill_in_flight:
            self.hot.fill_in_flight = True
            routing.fill = True
            routing.to_db += 1.0

    def wait_for_fill(self, cohort: Cohort, size: float, tick: int) -> None:
        """Park coalesced reads until the fill completes (they hold threads)."""
        if size > 0:
            self.waiters.append((cohort, size, tick))
            self.waiting += size

    def fill(self, generation: int, tick: int) -> bool:
        """A database read of the hot key completed: store it if still current."""
        key = self.hot
        key.fill_in_flight = False
        if generation != key.generation:
            return False
        key.fresh_until_tick = tick + self.ttl_ticks
        key.stale_until_tick = key.fresh_until_tick + self.stale_ticks
        return True

    def fill_failed(self) -> None:
        """The single-flight fill failed; the next read starts another."""
        self.hot.fill_in_flight = False

    def release_waiters(self) -> list[tuple[Cohort, float, int]]:
        """Hand back every parked read (the fill completed or failed)."""
        released = list(self.waiters)
        self.waiters.clear()
        self.waiting = 0.0
        return released

    def invalidate(self, tick: int) -> None:
        """Delete the hot key (an edit); a stale copy stays for serve-stale."""
        key = self.hot
        key.generation += 1
        if key.fresh_until_tick > tick:
            key.stale_until_tick = tick + self.stale_ticks
        key.fresh_until_tick = -1

    def flush_node(self) -> None:
        """The node holding the hot key restarted empty: nothing, not even stale."""
        key = self.hot
        key.generation += 1
        key.fresh_until_tick = -1
        key.stale_until_tick = -1
