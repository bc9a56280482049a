"""The Simulation: one team's system, stepped tick by tick in game time.

SimPy drives time; its unit is the tick. One process moves the flows of each
tick (clients -> edge -> API queue -> caches -> database -> answers), one runs
the autoscaler, one runs each fault, and one runs each applied action's
roll-out. `advance_to(tick)` runs the environment until that tick. Nothing
here reads the wall clock or the global random generator: the same scenario,
seed and tick-stamped actions give the same frames, bit for bit.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Generator
from typing import Any

import simpy

from simulation import actions, faults
from simulation.actions import ActionSpec
from simulation.cache import Cache
from simulation.clients import ClientPopulation
from simulation.database import Database
from simulation.frames import build_frame
from simulation.logs import write_tick_logs
from simulation.scenario import Scenario
from simulation.scoring import Scorer
from simulation.service import ApiService
from simulation.signals import Signals, TickRecord, summarise


class Simulation:
    """A scenario played by one team: advance it, act on it, read frames."""

    def __init__(self, scenario: Scenario, seed: int) -> None:
        self.scenario = scenario
        self.seed = seed
        self.tick_s = scenario.tick
        self.duration_s = scenario.duration
        self.ticks_per_second = max(1, round(1 / self.tick_s))
        self.env = simpy.Environment()
        self._tick = 0
        self.fault_rng = random.Random(f"{seed}:faults")
        topology = scenario.topology
        self.signals = Signals(self.tick_s)
        self.clients = ClientPopulation(
            topology.clients, self.tick_s, random.Random(f"{seed}:clients")
        )
        api = topology.api
        self.cache = Cache(
            topology.cache,
            api.local_cache_hit_ratio,
            api.local_cache_warmup,
            self.tick_s,
        )
        self.database = Database(topology.database, api.pool_timeout, self.tick_s)
        self.api = ApiService(
            api,
            self.env,
            self.clients,
            self.cache,
            self.database,
            self.signals,
            topology.database.pooler_pool_size,
        )
        self.scorer = Scorer(scenario, api.replicas)
        self.good_within_ms = scenario.slo.good_within * 1000
        self.record = TickRecord(self.good_within_ms)
        self.records: deque[TickRecord] = deque(maxlen=self.ticks_per_second)
        self._second: list[TickRecord] = []
        self._catalog: dict[str, ActionSpec] = actions.build_catalog(scenario)
        self.rollout_versions: dict[str, int] = {}
        self.env.process(self._flows())
        self.env.process(self._autoscaler())
        faults.start_faults(self)

    # -- the contract (docs/protocol.md, section 1) -------------------------

    @property
    def tick(self) -> int:
        """Ticks simulated so far."""
        return self._tick

    @property
    def game_time_s(self) -> float:
        """Game seconds simulated so far."""
        return self._tick * self.tick_s

    @property
    def finished(self) -> bool:
        """Whether the game's duration has been simulated."""
        return self.game_time_s >= self.duration_s - 1e-9

    def tick_now(self) -> int:
        """The tick SimPy is at (inside processes, the tick being stepped)."""
        return int(self.env.now)

    def advance_to(self, tick: int) -> None:
        """Step the model until `self.tick == tick` (no-op if already there)."""
        if tick <= self._tick:
            return
        self.env.run(until=tick)
        self._tick = tick

    def catalog(self) -> list[dict[str, Any]]:
        """The actions players may take in this scenario."""
        return [spec.describe() for spec in self._catalog.values()]

    def validate_action(
        self, name: str, params: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Normalised params, or ActionError naming the field and expectation."""
        return actions.validate(self._catalog, name, params)

    def apply(
        self, name: str, params: dict[str, Any] | None, by: str = ""
    ) -> dict[str, Any]:
        """Validate an action and start its roll-out at the current tick."""
        normalised = self.validate_action(name, params)
        spec = self._catalog[name]
        self.env.process(actions.roll_out(self, name, normalised))
        described = actions.describe_params(normalised)
        self.signals.event(
            self._tick,
            "action",
            f"{by or 'someone'}: {name} {described}".rstrip(),
        )
        return {
            "action": name,
            "params": normalised,
            "player": by,
            "applied_tick": self._tick,
            "applied_game_time_s": round(self.game_time_s, 3),
            "effective_game_time_s": round(self.game_time_s + spec.delay_s, 3),
        }

    def frame(self, since_s: float | None = None) -> dict[str, Any]:
        """The signals at the current tick (docs/protocol.md, section 2).

        Metrics cover the last second; logs and events cover the time since
        `since_s` if given (a caller that reads frames less often than once a
        game second), else the last second.
        """
        return build_frame(self, since_s)

    def score(self) -> dict[str, Any]:
        """The score so far and its parts."""
        return self.scorer.score()

    # -- processes ----------------------------------------------------------

    def _flows(self) -> Generator[simpy.Event, Any, None]:
        while True:
            self._step(int(self.env.now))
            yield self.env.timeout(1)

    def _autoscaler(self) -> Generator[simpy.Event, Any, None]:
        while True:
            yield self.env.timeout(self.api.autoscaler.period_ticks)
            self.api.autoscale(int(self.env.now))

    def _step(self, tick: int) -> None:
        """Move one tick of flows.

        1. Clients send first tries and due retries; the edge sheds its share
           and full backlogs refuse what they cannot hold.
        2. Cohorts whose deadline is now time out at the client.
        3. Pools connect; free threads serve the queue through the caches.
        4. The database runs; its answers and pool timeouts go back up.
        5. Caches warm, gauges and logs are read, the second is scored.
        """
        record = self.record
        api = self.api
        cohorts = self.clients.arrivals(tick, record)
        api.admit(cohorts, tick, record)
        self.clients.expire(tick, record)
        api.connect()
        api.serve(tick, record)
        results = self.database.step(tick, record)
        api.finish(tick, results, record)
        self.cache.warm_up()
        self._gauge(tick, record)
        write_tick_logs(self.signals, tick, record, api, results.query_ms)
        self.scorer.accrue(api.replicas(), self.tick_s)
        self.records.append(record)
        self._second.append(record)
        if len(self._second) == self.ticks_per_second:
            self._close_second(tick)
        self.record = TickRecord(self.good_within_ms)

    def _gauge(self, tick: int, record: TickRecord) -> None:
        api, database = self.api, self.database
        record.queue = api.queued
        record.queue_limit = api.queue_limit()
        record.threads_on_db = database.queued + api.starved_size
        record.replicas = api.replicas()
        record.ready_replicas = api.ready
        record.threads = api.threads()
        record.pool_in_use = min(database.limit, database.queued)
        record.pool_size = database.granted_direct + database.missing_connections
        # Requests of replicas whose pool the database refused wait on the
        # pool too (HikariCP's pending threads).
        record.pool_waiting = database.waiting() + api.starved_size
        record.db_connections = database.connections()
        record.db_active = database.active
        record.db_waiting = database.waiting()
        record.db_utilisation = database.utilisation()
        record.cache_utilisation = self.cache.set_load(
            record.hot_lookups / self.tick_s,
            (record.cache_lookups - record.hot_lookups) / self.tick_s,
        )
        record.coalesced_waiting = self.cache.waiting
        record.policy_rollout = self.clients.rollout_ratio()
        record.shed_share = api.shed_share
        oldest = api.queue[0][0].tick if api.queue else tick
        record.oldest_wait_ms = (tick - oldest) * self.tick_s * 1000

    def _close_second(self, tick: int) -> None:
        second = (tick + 1) // self.ticks_per_second
        summary = summarise(second, self._second, self.database.base_query_ms[0])
        self._second = []
        self.signals.evaluate_alerts(summary)
        self.scorer.add_second(summary)
