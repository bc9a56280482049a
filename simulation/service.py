"""The API servers: replicas, threads, the request queue and DB pools.

Requests wait in a FIFO queue of cohorts for a free thread. A thread spends
the service time on CPU, looks the data up in the caches and, on a miss,
blocks on its replica's DB pool until a connection is free and the query
returns. Threads blocked on the database (or on a coalesced fill) are not free
for the queue, so a slow database turns into a growing queue. Requests whose
client already gave up are still served, wasted work, unless the replicas
drop expired requests. The edge can shed a share of arrivals with fast 503s.

Each ready replica holds at most `queue_requests_per_replica` requests waiting
(its listen backlog and accept queue); past that, new requests are refused
with an immediate 503 that the clients retry like any error. A replica that
is removed or restarted loses its queue: those requests get connection resets.

Replicas take the start-up time to come up; the autoscaler reacts to thread
utilisation once per period, with HPA-like tolerance and scale-down window.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Generator
from typing import Any

import simpy

from simulation.cache import Cache
from simulation.clients import ClientPopulation, Cohort
from simulation.database import HOT, ORDINARY, Database, DbEntry, DbResults
from simulation.scenario import ApiSpec, AutoscalerSpec
from simulation.signals import Signals, TickRecord

# A 503 from the edge comes back fast: one round trip to the load balancer.
SHED_RESPONSE_MS = 5.0
# A full backlog refuses the connection, or the load balancer answers 503 for
# it: as fast for the client as a shed request.
REJECT_RESPONSE_MS = SHED_RESPONSE_MS
# HPA leaves replicas alone while utilisation is within 10 % of its target.
AUTOSCALER_TOLERANCE_RATIO = 0.1


class Autoscaler:
    """HPA-like: desired = ceil(replicas x utilisation / target), clamped."""

    def __init__(self, spec: AutoscalerSpec, tick_s: float) -> None:
        self.enabled = spec.enabled
        self.min_replicas = spec.min_replicas
        self.max_replicas = spec.max_replicas
        self.target = spec.target_utilisation_ratio
        self.period_ticks = max(1, round(spec.period / tick_s))
        self.window_ticks = round(spec.scale_down_window / tick_s)
        self.recommendations: deque[tuple[int, int]] = deque()
        self.utilisation_sum = 0.0
        self.samples = 0

    def sample(self, utilisation: float) -> None:
        """Add one tick's utilisation to the current period."""
        self.utilisation_sum += utilisation
        self.samples += 1

    def recommend(self, replicas: int, tick: int) -> int | None:
        """The replica count to set now, or None to leave it."""
        utilisation = self.utilisation_sum / self.samples if self.samples else 0.0
        self.utilisation_sum = 0.0
        self.samples = 0
        if not self.enabled or replicas <= 0:
            return None
        desired = replicas
        if abs(utilisation / self.target - 1.0) > AUTOSCALER_TOLERANCE_RATIO:
            desired = math.ceil(replicas * utilisation / self.target)
        desired = max(self.min_replicas, min(self.max_replicas, desired))
        self.recommendations.append((tick, desired))
        while self.recommendations[0][0] < tick - self.window_ticks:
            self.recommendations.popleft()
        if desired < replicas:
            # Scale down only to the highest recommendation of the window.
            stable = max(count for _, count in self.recommendations)
            desired = min(replicas, self.max_replicas, stable)
        return desired if desired != replicas else None


class ApiService:
    """The API replicas and what a request does inside them."""

    def __init__(
        self,
        spec: ApiSpec,
        env: simpy.Environment,
        clients: ClientPopulation,
        cache: Cache,
        database: Database,
        signals: Signals,
        pooler_pool_size: int,
    ) -> None:
        self.spec = spec
        self.env = env
        self.clients = clients
        self.cache = cache
        self.database = database
        self.signals = signals
        self.tick_s = clients.tick_s
        self.tick_ms = self.tick_s * 1000
        self.service_ms = spec.service_time * 1000
        self.lookup_ms = cache.spec.lookup_time * 1000
        self.startup_ticks = round(spec.startup / self.tick_s)
        self.pool_timeout_ticks = max(1, round(spec.pool_timeout / self.tick_s))
        self.ready = spec.replicas
        self.starting: list[list[int]] = []  # [count] per batch still starting
        self.pool_per_replica = float(spec.db_pool_per_replica)
        self.pooler_share = 0.0
        self.pooler_pool_size = pooler_pool_size
        self.shed_share = 0.0
        self.drop_expired = False
        self.queue: deque[list[Any]] = deque()  # [cohort, size]
        self.queued = 0.0
        self.queue_per_replica = float(spec.queue_requests_per_replica)
        self.reset: list[tuple[Cohort, float]] = []  # lost with removed replicas
        self.starved: deque[list[Any]] = deque()  # [cohort, size, fail_tick]
        self.starved_size = 0.0
        self.starved_ratio = 0.0
        self.autoscaler = Autoscaler(spec.autoscaler, self.tick_s)
        self._cpu_threads = 0.0  # threads the tick's CPU work kept busy

    # -- replicas -----------------------------------------------------------

    def replicas(self) -> int:
        """Replicas asked for: ready plus starting."""
        return self.ready + sum(batch[0] for batch in self.starting)

    def scale_to(self, replicas: int, tick: int) -> None:
        """Start new replicas, or remove starting then ready ones."""
        current = self.replicas()
        if replicas > current:
            batch = [replicas - current]
            self.starting.append(batch)
            self.env.process(self._start(batch))
            return
        surplus = current - replicas
        for batch in reversed(self.starting):
            taken = min(batch[0], surplus)
            batch[0] -= taken
            surplus -= taken
        removed = min(self.ready, surplus)
        if removed > 0:
            self._lose_queue(removed / self.ready)
        self.ready -= removed

    def queue_limit(self) -> float:
        """Requests the ready replicas can hold waiting for a thread."""
        return self.ready * self.queue_per_replica

    def _lose_queue(self, share: float) -> None:
        """Removed replicas take their share of the queue with them."""
        kept: deque[list[Any]] = deque()
        for cohort, size in self.queue:
            lost = size * share
            self.reset.append((cohort, lost))
            if size - lost > 1e-9:
                kept.append([cohort, size - lost])
        self.queue = kept
        self.queued = sum(size for _, size in kept)

    def _start(self, batch: list[int]) -> Generator[simpy.Event, Any, None]:
        yield self.env.timeout(self.startup_ticks)
        self.starting.remove(batch)
        if batch[0] > 0:
            warm = self.cache.local_warm_ratio * self.ready
            self.ready += batch[0]
            self.cache.local_warm_ratio = warm / self.ready

    def restart(self, tick: int, record: TickRecord) -> None:
        """Restart every replica at once: in-flight work is dropped.

        1. Queued, waiting and running requests get connection resets.
        2. Every replica goes back to starting; pools reconnect when ready.
        3. In-process caches come back cold.
        """
        dropped: list[tuple[Cohort, float]] = [(c, s) for c, s in self.queue]
        dropped += self.reset
        self.reset = []
        dropped += [(c, s) for c, s, _ in self.starved]
        dropped += self.database.drop_clients()
        dropped += [(c, s) for c, s, _ in self.cache.release_waiters()]
        self.cache.fill_failed()
        self.queue.clear()
        self.starved.clear()
        self.queued = self.starved_size = 0.0
        for cohort, size in dropped:
            record.restart_dropped += size
            self.clients.answer(
                cohort, size, False, tick, self._waited_ms(cohort, tick), record
            )
        count = self.replicas()
        self.ready = 0
        for batch in self.starting:
            batch[0] = 0
        self.scale_to(count, tick)
        self.cache.local_warm_ratio = 0.0

    def autoscale(self, tick: int) -> None:
        """One autoscaler evaluation."""
        current = self.replicas()
        desired = self.autoscaler.recommend(current, tick)
        if desired is None:
            return
        self.scale_to(desired, tick)
        self.signals.log(
            tick,
            "autoscaler",
            "info",
            f"scaled api from {current} to {desired} replicas "
            f"(utilisation target {self.autoscaler.target:.0%})",
            "autoscaler",
            every_s=0.0,
        )

    # -- requests -----------------------------------------------------------

    def _waited_ms(self, cohort: Cohort, tick: int) -> float:
        return (tick - cohort.tick) * self.tick_ms

    def admit(self, cohorts: list[Cohort], tick: int, record: TickRecord) -> None:
        """Let this tick's arrivals in, as far as the edge and backlogs allow.

        1. Requests queued on replicas removed since the last tick are reset.
        2. The edge sheds its share with fast 503s.
        3. The rest joins the queue while the backlogs have room; the room is
           shared out evenly (arrivals interleave within a tick), and what
           does not fit is refused with a fast 503.
        """
        for cohort, size in self.reset:
            record.restart_dropped += size
            waited_ms = self._waited_ms(cohort, tick)
            self.clients.answer(cohort, size, False, tick, waited_ms, record)
        self.reset = []
        arriving = 0.0
        for cohort in cohorts:
            shed = cohort.size * self.shed_share
            if shed > 0:
                record.shed += shed
                self.clients.answer(cohort, shed, False, tick, SHED_RESPONSE_MS, record)
            arriving += cohort.size - shed
        if arriving <= 0:
            return
        room = max(0.0, self.queue_limit() - self.queued)
        admitted = min(1.0, room / arriving)
        for cohort in cohorts:
            size = cohort.size * (1.0 - self.shed_share)
            if size * admitted > 0:
                self.queue.append([cohort, size * admitted])
                self.queued += size * admitted
            refused = size * (1.0 - admitted)
            if refused > 0:
                record.rejected += refused
                self.clients.answer(
                    cohort, refused, False, tick, REJECT_RESPONSE_MS, record
                )

    def connect(self) -> None:
        """Pools ask the database for the connections they want."""
        direct = self.ready * self.pool_per_replica * (1.0 - self.pooler_share)
        pooler = 0.0
        if self.pooler_share > 0:
            pooler = math.ceil(self.pooler_pool_size * self.pooler_share)
        self.starved_ratio = self.database.connect(math.ceil(direct), pooler)

    def threads(self) -> int:
        """Request threads on ready replicas."""
        return self.ready * self.spec.threads_per_replica

    def held_threads(self) -> float:
        """Threads blocked on the database, a dead pool or a coalesced fill."""
        return self.database.queued + self.starved_size + self.cache.waiting

    def serve(self, tick: int, record: TickRecord) -> None:
        """Free threads take requests from the queue, FIFO.

        1. Free threads = threads - threads blocked since earlier ticks.
        2. Each request costs the service time plus a cache lookup; one that
           misses the caches then blocks its thread, so no more requests
           start in a tick than there are free threads to block.
        3. Expired requests are dropped unserved if the replicas drop them;
           otherwise served (wasted work: their client is gone).
        4. Each served request goes where the caches send it.
        """
        threads = self.threads()
        free = max(0.0, threads - self.held_threads())
        capacity = free * self.tick_ms / (self.service_ms + self.lookup_ms)
        served = 0.0
        blocking_room = free  # a thread that blocks on the DB takes no more work
        queue = self.queue
        while queue and capacity - served > 1e-9 and blocking_room > 1e-9:
            portion = queue[0]
            cohort, size = portion
            if self.drop_expired and cohort.pending <= 0:
                queue.popleft()
                self.queued -= size
                record.dropped_expired += size
                continue
            taken = min(size, capacity - served)
            blocking = self._blocking_ratio(cohort, tick)
            if blocking > 0:
                taken = min(taken, blocking_room / blocking)
                blocking_room -= taken * blocking
            served += taken
            portion[1] -= taken
            self.queued -= taken
            if portion[1] <= 1e-9:
                queue.popleft()
            self._route(cohort, taken, tick, record)
        if not queue:
            self.queued = 0.0
        record.served += served
        self._cpu_threads = served * (self.service_ms + self.lookup_ms) / self.tick_ms

    def _blocking_ratio(self, cohort: Cohort, tick: int) -> float:
        """Share of a cohort's requests that will block on the DB or a fill."""
        if cohort.hot:
            return self.cache.hot_blocking_ratio(tick)
        return self.cache.ordinary_miss_ratio()

    def _route(
        self, cohort: Cohort, size: float, tick: int, record: TickRecord
    ) -> None:
        if cohort.hot:
            self._route_hot(cohort, size, tick, record)
            return
        miss = self.cache.ordinary_miss_ratio()
        shared = self.cache.shared_lookup_ratio()
        record.cache_lookups += size * shared
        record.cache_hits += size * (shared - miss)
        self._hit(cohort, size * (1.0 - miss), tick, record)
        self._to_database(cohort, size * miss, ORDINARY, tick)

    def _route_hot(
        self, cohort: Cohort, size: float, tick: int, record: TickRecord
    ) -> None:
        routing = self.cache.route_hot(size, tick)
        record.cache_lookups += size
        record.hot_lookups += size
        record.cache_hits += routing.hits + routing.stale
        record.hot_hits += routing.hits + routing.stale
        record.stale_served += routing.stale
        record.coalesced += routing.waiting
        record.hot_misses += routing.to_db
        record.cache_errors += routing.overflow
        self._hit(cohort, routing.hits + routing.stale, tick, record)
        self.cache.wait_for_fill(cohort, routing.waiting, tick)
        to_db = routing.to_db
        if routing.fill:
            generation = self.cache.hot.generation
            entry = self.database.submit(cohort, min(1.0, to_db), HOT, tick, generation)
            self.cache.fill_entry = entry
            to_db -= min(1.0, to_db)
        self._to_database(cohort, to_db, HOT, tick)

    def prewarm(self, tick: int) -> None:
        """A background job reads the hot key from the database into the cache."""
        self.database.submit(None, 1.0, HOT, tick, self.cache.hot.generation)

    def _hit(self, cohort: Cohort, size: float, tick: int, record: TickRecord) -> None:
        if size > 0:
            attempt_ms = (
                self._waited_ms(cohort, tick) + self.service_ms + self.lookup_ms
            )
            self.clients.answer(
                cohort, size, True, tick, attempt_ms, record, self.service_ms
            )

    def _to_database(self, cohort: Cohort, size: float, kind: int, tick: int) -> None:
        """Misses block on the pool; replicas whose pool the DB refused wait it out."""
        if size <= 0:
            return
        starved = size * self.starved_ratio
        if starved > 0:
            self.starved.append([cohort, starved, tick + self.pool_timeout_ticks])
            self.starved_size += starved
        self.database.submit(
            cohort, size - starved, kind, tick, self.cache.hot.generation
        )

    def finish(self, tick: int, results: DbResults, record: TickRecord) -> None:
        """Answer what the database finished, and what gave up waiting."""
        for entry, size in results.completed:
            if entry.kind == HOT:
                self._filled(entry, tick, record)
            if entry.cohort is not None:
                query_ms = results.query_ms[entry.kind]
                self._answer_query(entry, entry.cohort, size, query_ms, tick, record)
        for entry, size in results.timed_out:
            if entry is self.cache.fill_entry:
                self.cache.fill_failed()
                self._release_waiters(False, tick, record)
            self._pool_timeout(entry.cohort, size, tick, record)
        self._expire_starved(tick, record)
        self._measure(results, record)

    def _answer_query(
        self,
        entry: DbEntry,
        cohort: Cohort,
        size: float,
        query_ms: float,
        tick: int,
        record: TickRecord,
    ) -> None:
        """A query returned: no sooner than its query time after it was sent."""
        sent_ms = self._waited_ms(cohort, entry.enter_tick)
        answered_ms = max(self._waited_ms(cohort, tick), sent_ms + query_ms)
        attempt_ms = answered_ms + self.service_ms + self.lookup_ms
        self.clients.answer(
            cohort, size, True, tick, attempt_ms, record, self.service_ms
        )

    def _measure(self, results: DbResults, record: TickRecord) -> None:
        """Thread utilisation: CPU work, DB work done, and threads still blocked."""
        threads = self.threads()
        query_threads = (
            sum(
                size * results.query_ms[entry.kind]
                for entry, size in results.completed
                if entry.cohort is not None
            )
            / self.tick_ms
        )
        busy = self._cpu_threads + query_threads + self.held_threads()
        utilisation = min(1.0, busy / threads) if threads else 1.0
        record.utilisation = utilisation
        if threads:
            self.autoscaler.sample(utilisation)

    def _filled(self, entry: DbEntry, tick: int, record: TickRecord) -> None:
        stored = self.cache.fill(entry.generation, tick)
        if stored or entry is self.cache.fill_entry:
            self.cache.fill_entry = None
            self._release_waiters(True, tick, record)

    def _release_waiters(self, ok: bool, tick: int, record: TickRecord) -> None:
        for cohort, size, _ in self.cache.release_waiters():
            attempt_ms = (
                self._waited_ms(cohort, tick) + self.service_ms + self.lookup_ms
            )
            self.clients.answer(
                cohort, size, ok, tick, attempt_ms, record, self.service_ms
            )

    def _pool_timeout(
        self, cohort: Cohort | None, size: float, tick: int, record: TickRecord
    ) -> None:
        record.pool_timeouts += size
        record.api_errors += size
        if cohort is not None:
            self.clients.answer(
                cohort,
                size,
                False,
                tick,
                self._waited_ms(cohort, tick) + self.service_ms,
                record,
            )

    def _expire_starved(self, tick: int, record: TickRecord) -> None:
        starved = self.starved
        while starved and starved[0][2] <= tick:
            cohort, size, _ = starved.popleft()
            self.starved_size -= size
            record.starved += size
            self._pool_timeout(cohort, size, tick, record)
        if not starved:
            self.starved_size = 0.0
