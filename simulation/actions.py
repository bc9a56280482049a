"""Player actions: the catalog, validation and each action's roll-out.

An action changes a mechanism, after a realistic delay and often gradually
(clients pick up a retry policy on their next config refresh, replicas resize
their pools one by one). Each applied action runs as one SimPy process. A later
action of the same name supersedes a roll-out still in progress.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import simpy

from simulation.clients import RetryPolicy
from simulation.scenario import ACTION_NAMES, Scenario

if TYPE_CHECKING:
    from simulation.engine import Simulation


class ActionError(ValueError):
    """An action or parameter a player may not send; the message says why."""


@dataclass(frozen=True)
class Param:
    """One parameter of an action, as the catalog describes it."""

    type: str  # int | float | bool | choice
    default: Any
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    unit: str = ""

    def describe(self) -> dict[str, Any]:
        """The catalog's JSON for this parameter."""
        described: dict[str, Any] = {"type": self.type, "default": self.default}
        if self.minimum is not None:
            described["min"] = self.minimum
        if self.maximum is not None:
            described["max"] = self.maximum
        if self.choices:
            described["choices"] = list(self.choices)
        described["unit"] = self.unit
        return described

    def validate(self, name: str, value: Any) -> Any:
        """Return the normalised value, or raise ActionError naming `name`."""
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            raise ActionError(f"{name}: expected true or false, got {_show(value)}")
        if self.type == "choice":
            if isinstance(value, str) and value in self.choices:
                return value
            expected = ", ".join(self.choices)
            raise ActionError(f"{name}: expected one of {expected}, got {_show(value)}")
        return self._number(name, value)

    def _number(self, name: str, value: Any) -> int | float:
        kind = "an integer" if self.type == "int" else "a number"
        expected = f"{kind} from {self.minimum or 0:g} to {self.maximum or 0:g}"
        number: int | float
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ActionError(f"{name}: expected {expected}, got {_show(value)}")
        if not math.isfinite(value):
            raise ActionError(f"{name}: expected {expected}, got {value}")
        if self.type == "int":
            if value != int(value):
                raise ActionError(f"{name}: expected {expected}, got {_show(value)}")
            number = int(value)
        else:
            number = float(value)
        low = self.minimum if self.minimum is not None else number
        high = self.maximum if self.maximum is not None else number
        if not low <= number <= high:
            raise ActionError(f"{name}: expected {expected}, got {_show(value)}")
        return number


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass(frozen=True)
class ActionSpec:
    """An action in the catalog: what it does, its delay, cost and params."""

    name: str
    label: str
    description: str
    delay_s: float
    cost: str
    params: dict[str, Param] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        """The catalog's JSON for this action."""
        return {
            "action": self.name,
            "label": self.label,
            "description": self.description,
            "delay_s": self.delay_s,
            "cost": self.cost,
            "params": {name: p.describe() for name, p in self.params.items()},
        }


# Delays, in game seconds, and why they are what they are.
DEPLOY_UPDATE_S = 5.0  # the deployment object changes; pods get scheduled
CONFIG_PUSH_S = 30.0  # a feature flag reaches every replica on its next poll
EDGE_CONFIG_S = 10.0  # the load balancer reloads its config
PREWARM_JOB_S = 10.0  # a job is started and reads the key from the database
POOL_RESIZE_S = 60.0  # replicas resize their pools one by one on config reload
POOLER_ROLLOUT_S = 120.0  # pooler deployed, then replicas switch their DSN
AUTOSCALER_APPLY_S = 15.0  # the HPA object is applied and next evaluated
RETRY_CONFIG_PUSH_S = 10.0  # remote config published; apps start picking it up
# The pre-warm job refreshes the key this long before its TTL runs out.
PREWARM_REFRESH_AHEAD_S = 5.0


def build_catalog(scenario: Scenario) -> dict[str, ActionSpec]:
    """The actions of a scenario, with defaults from its topology."""
    topology = scenario.topology
    scoring = scenario.scoring
    api = topology.api
    clients = topology.clients
    everything = [
        ActionSpec(
            "scale_api",
            "Scale API replicas",
            "Set the number of API replicas (and the autoscaler's minimum). New "
            f"replicas take ~{api.startup:.0f} s to start; each opens a pool of "
            f"{api.db_pool_per_replica} DB connections.",
            api.startup + DEPLOY_UPDATE_S,
            f"{scoring.replica_minute_cost:g} points per replica-minute above "
            "the start",
            {"replicas": Param("int", api.replicas, 1, 200)},
        ),
        ActionSpec(
            "enable_coalescing",
            "Coalesce cache fills",
            "Single flight per key: one request refills a missing key from the DB; "
            "the others wait for that fill instead of querying the DB themselves.",
            CONFIG_PUSH_S,
            "none",
        ),
        ActionSpec(
            "prewarm_hot_key",
            "Pre-warm the hot key",
            "Run a job that reads the most requested post from the DB into the "
            f"cache now, and refreshes it {PREWARM_REFRESH_AHEAD_S:.0f} s before "
            "each expiry.",
            PREWARM_JOB_S,
            f"{scenario.scoring.prewarm_cost:g} points",
        ),
        ActionSpec(
            "serve_stale",
            "Serve stale while revalidating",
            "When a key has expired or was invalidated, answer with the stale copy "
            f"(up to {topology.cache.stale_window:.0f} s old) while one request "
            "refreshes it.",
            CONFIG_PUSH_S,
            "none",
            {"enabled": Param("bool", True)},
        ),
        ActionSpec(
            "client_retry_policy",
            "Change the client retry policy",
            "Publish a retry policy to the apps through remote config. Apps pick "
            "it up on their next start or config refresh, over "
            f"~{clients.policy_rollout:.0f} s. The delay before retry n is "
            "base_ms x 2^n with exponential backoff (jitter: a random share of "
            "it); budget_ratio caps retries per first try (1: one retry per "
            "request on average).",
            RETRY_CONFIG_PUSH_S + clients.policy_rollout,
            "none",
            {
                "max_retries": Param("int", clients.max_retries, 0, 10),
                "backoff": Param(
                    "choice",
                    clients.retry_backoff,
                    choices=("none", "exponential", "exponential_jitter"),
                ),
                "base_ms": Param(
                    "int", round(clients.retry_base * 1000), 0, 10000, unit="ms"
                ),
                "budget_ratio": Param("float", 1.0, 0.0, 1.0, unit="ratio"),
            },
        ),
        ActionSpec(
            "shed_load",
            "Shed load at the edge",
            "Answer a share of requests at the load balancer with a fast 503 "
            "(users see a failure; the backend is spared). Optionally have the "
            "replicas drop queued requests whose client has already timed out.",
            EDGE_CONFIG_S,
            "none (the shed requests count as failures)",
            {
                "share": Param("float", 0.0, 0.0, 0.9, unit="ratio"),
                "drop_expired": Param("bool", True),
            },
        ),
        ActionSpec(
            "cap_db_pool",
            "Resize the DB pools",
            "Set the DB connections each API replica's pool holds. Replicas pick "
            f"it up one by one over ~{POOL_RESIZE_S:.0f} s.",
            POOL_RESIZE_S,
            "none",
            {"connections_per_replica": Param("int", api.db_pool_per_replica, 1, 100)},
        ),
        ActionSpec(
            "enable_db_pooler",
            "Put a transaction pooler in front of the DB",
            "Deploy a transaction pooler (PgBouncer-like): replicas connect to it, "
            "and it multiplexes them onto pool_size DB connections. Replicas switch "
            f"over ~{POOLER_ROLLOUT_S:.0f} s.",
            POOLER_ROLLOUT_S,
            f"{scenario.scoring.pooler_minute_cost:g} points per minute while enabled",
            {
                "enabled": Param("bool", True),
                "pool_size": Param(
                    "int",
                    topology.database.pooler_pool_size,
                    1,
                    topology.database.max_connections,
                ),
            },
        ),
        ActionSpec(
            "set_autoscaler",
            "Configure the autoscaler",
            "Turn the API autoscaler on or off and set its maximum replicas.",
            AUTOSCALER_APPLY_S,
            "replicas it adds cost like any other",
            {
                "enabled": Param("bool", api.autoscaler.enabled),
                "max_replicas": Param("int", api.autoscaler.max_replicas, 1, 200),
            },
        ),
        ActionSpec(
            "restart_api",
            "Restart the API",
            "Restart every API replica now. In-flight requests are dropped; "
            f"replicas take ~{api.startup:.0f} s to come back, with cold "
            "in-process caches.",
            api.startup,
            "none",
        ),
    ]
    assert {spec.name for spec in everything} == set(ACTION_NAMES)
    allowed = set(scenario.mitigations)
    return {spec.name: spec for spec in everything if spec.name in allowed}


def validate(catalog: dict[str, ActionSpec], name: Any, params: Any) -> dict[str, Any]:
    """Normalise an action's params; raise ActionError naming the field."""
    if not isinstance(name, str) or name not in catalog:
        expected = ", ".join(catalog)
        raise ActionError(f"action: expected one of {expected}, got {_show(name)}")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise ActionError(f"params: expected an object, got {_show(params)}")
    spec = catalog[name]
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        expected = ", ".join(spec.params) or "no parameters"
        raise ActionError(
            f"{unknown[0]}: unknown parameter of {name}; expected {expected}"
        )
    return {
        key: param.validate(key, params.get(key, param.default))
        for key, param in spec.params.items()
    }


def describe_params(params: dict[str, Any]) -> str:
    """`replicas=40 backoff=exponential` for timelines and logs."""
    return " ".join(f"{key}={value}" for key, value in params.items())


Rollout = Generator[simpy.Event, Any, None]


def roll_out(sim: Simulation, name: str, params: dict[str, Any]) -> Rollout:
    """The process of one applied action: wait, then change the mechanism."""
    version = sim.rollout_versions.get(name, 0) + 1
    sim.rollout_versions[name] = version
    yield from ROLLOUTS[name](
        sim, params, lambda: sim.rollout_versions[name] == version
    )
    if sim.rollout_versions[name] == version:
        sim.signals.event(
            sim.tick_now(), "action", f"{name.replace('_', ' ')} took effect"
        )


Current = Callable[[], bool]


def _wait(sim: Simulation, seconds: float) -> simpy.Timeout:
    return sim.env.timeout(max(0, round(seconds / sim.tick_s)))


def _ramp(
    sim: Simulation, seconds: float, current: Current, step: Callable[[float], None]
) -> Rollout:
    """Call `step(progress)` every tick until progress reaches 1."""
    ticks = max(1, round(seconds / sim.tick_s))
    for done in range(1, ticks + 1):
        if not current():
            return
        step(done / ticks)
        yield sim.env.timeout(1)


def _scale_api(sim: Simulation, params: dict[str, Any], current: Current) -> Rollout:
    yield _wait(sim, DEPLOY_UPDATE_S)
    if not current():
        return  # superseded by a later action of the same name
    replicas = params["replicas"]
    autoscaler = sim.api.autoscaler
    autoscaler.min_replicas = replicas
    autoscaler.max_replicas = max(autoscaler.max_replicas, replicas)
    sim.api.scale_to(replicas, sim.tick_now())
    yield _wait(sim, sim.api.spec.startup)


def _enable_coalescing(
    sim: Simulation, params: dict[str, Any], current: Current
) -> Rollout:
    yield _wait(sim, CONFIG_PUSH_S)
    sim.cache.coalescing = True


def _prewarm(sim: Simulation, params: dict[str, Any], current: Current) -> Rollout:
    """Fill now, then refresh ahead of each expiry, for the rest of the game."""
    sim.scorer.add_cost(sim.scenario.scoring.prewarm_cost)
    yield _wait(sim, PREWARM_JOB_S)
    sim.api.prewarm(sim.tick_now())
    sim.env.process(_refresh_ahead(sim, current))


def _refresh_ahead(sim: Simulation, current: Current) -> Rollout:
    ahead = max(1, round(PREWARM_REFRESH_AHEAD_S / sim.tick_s))
    while current():
        key = sim.cache.hot
        due = key.fresh_until_tick - ahead
        now = sim.tick_now()
        if due > now:
            yield sim.env.timeout(due - now)
            continue
        sim.api.prewarm(now)
        yield sim.env.timeout(ahead * 2)


def _serve_stale(sim: Simulation, params: dict[str, Any], current: Current) -> Rollout:
    yield _wait(sim, CONFIG_PUSH_S)
    if not current():
        return  # superseded by a later action of the same name
    sim.cache.serve_stale = params["enabled"]


def _retry_policy(sim: Simulation, params: dict[str, Any], current: Current) -> Rollout:
    yield _wait(sim, RETRY_CONFIG_PUSH_S)
    clients = sim.clients
    clients.start_policy(
        RetryPolicy(
            params["max_retries"],
            params["backoff"],
            params["base_ms"] / 1000,
            params["budget_ratio"],
        )
    )

    def step(progress: float) -> None:
        clients.roll_out(progress)

    yield from _ramp(sim, clients.spec.policy_rollout, current, step)


def _shed_load(sim: Simulation, params: dict[str, Any], current: Current) -> Rollout:
    yield _wait(sim, EDGE_CONFIG_S)
    if not current():
        return  # superseded by a later action of the same name
    sim.api.shed_share = params["share"]
    sim.api.drop_expired = params["drop_expired"]


def _cap_db_pool(sim: Simulation, params: dict[str, Any], current: Current) -> Rollout:
    api = sim.api
    start = api.pool_per_replica
    target = float(params["connections_per_replica"])

    def step(progress: float) -> None:
        api.pool_per_replica = start + (target - start) * progress

    yield from _ramp(sim, POOL_RESIZE_S, current, step)


def _db_pooler(sim: Simulation, params: dict[str, Any], current: Current) -> Rollout:
    api = sim.api
    start = api.pooler_share
    target = 1.0 if params["enabled"] else 0.0
    api.pooler_pool_size = params["pool_size"]
    sim.scorer.pooler_on = params["enabled"] or start > 0

    def step(progress: float) -> None:
        api.pooler_share = start + (target - start) * progress

    yield from _ramp(sim, POOLER_ROLLOUT_S, current, step)
    sim.scorer.pooler_on = params["enabled"]


def _set_autoscaler(
    sim: Simulation, params: dict[str, Any], current: Current
) -> Rollout:
    yield _wait(sim, AUTOSCALER_APPLY_S)
    if not current():
        return  # superseded by a later action of the same name
    autoscaler = sim.api.autoscaler
    autoscaler.enabled = params["enabled"]
    autoscaler.max_replicas = params["max_replicas"]
    autoscaler.min_replicas = min(autoscaler.min_replicas, params["max_replicas"])
    if sim.api.replicas() > autoscaler.max_replicas and autoscaler.enabled:
        sim.api.scale_to(autoscaler.max_replicas, sim.tick_now())


def _restart_api(sim: Simulation, params: dict[str, Any], current: Current) -> Rollout:
    sim.api.restart(sim.tick_now(), sim.record)
    yield _wait(sim, sim.api.spec.startup)


ROLLOUTS: dict[str, Callable[[Simulation, dict[str, Any], Current], Rollout]] = {
    "scale_api": _scale_api,
    "enable_coalescing": _enable_coalescing,
    "prewarm_hot_key": _prewarm,
    "serve_stale": _serve_stale,
    "client_retry_policy": _retry_policy,
    "shed_load": _shed_load,
    "cap_db_pool": _cap_db_pool,
    "enable_db_pooler": _db_pooler,
    "set_autoscaler": _set_autoscaler,
    "restart_api": _restart_api,
}
