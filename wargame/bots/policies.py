"""Bot policies: what a player would do, given only what a player sees.

A policy reads a frame's signals (the dict of docs/protocol.md, section 2) and
the action catalog, and returns the actions to send now. It never touches the
simulation object, holds state only for its own team and game (instantiate
one per team), and is deterministic: the same frames give the same actions.
Pure Python: no Django here, so tests can drive a Simulation directly.
"""

from __future__ import annotations

from typing import Any

Decision = list[tuple[str, dict[str, Any]]]


def metrics_of(frame_signals: dict[str, Any], component_id: str) -> dict[str, Any]:
    """The metrics of one component of a frame ({} if it has none)."""
    for component in frame_signals.get("components", []):
        if component.get("id") == component_id:
            metrics: dict[str, Any] = component.get("metrics", {})
            return metrics
    return {}


def allowed(catalog: list[dict[str, Any]]) -> set[str]:
    """Names of the actions the catalog offers."""
    return {entry["action"] for entry in catalog}


class Policy:
    """Base of the bot policies: remembers when it last took each action."""

    name = "idle"

    def __init__(self) -> None:
        self.last_taken: dict[str, float] = {}
        self.now_s = 0.0

    def decide(
        self, frame_signals: dict[str, Any], catalog: list[dict[str, Any]]
    ) -> Decision:
        """The actions to send now, each as (name, params)."""
        self.now_s = float(frame_signals.get("game_time_s", 0.0))
        offered = allowed(catalog)
        return [
            (name, params)
            for name, params in self.choose(frame_signals)
            if name in offered and self._take(name)
        ]

    def choose(self, frame_signals: dict[str, Any]) -> Decision:
        """What this policy wants to do about one frame (subclasses)."""
        return []

    def _take(self, name: str) -> bool:
        self.last_taken[name] = self.now_s
        return True

    def since(self, name: str) -> float:
        """Game seconds since `name` was last taken (inf if never)."""
        if name not in self.last_taken:
            return float("inf")
        return self.now_s - self.last_taken[name]

    def ever(self, name: str) -> bool:
        """Whether `name` was ever taken."""
        return name in self.last_taken


class NaivePolicy(Policy):
    """A panicked responder: more replicas when it hurts, then a restart."""

    name = "naive"
    SCALE_EVERY_S = 60.0  # waits a minute to see whether scaling helped
    SCALE_STEP = 10  # replicas added each time
    RESTART_AFTER_SCALES = 2  # scaled twice and still broken: restart
    RESTART_EVERY_S = 240.0

    def __init__(self) -> None:
        super().__init__()
        self.scales = 0

    def choose(self, frame_signals: dict[str, Any]) -> Decision:
        users = frame_signals.get("users", {})
        api = metrics_of(frame_signals, "api")
        hurting = users.get("error_ratio", 0) > 0.01 or (
            users.get("latency_p99_ms", 0) > 300
        )
        if not hurting:
            return []
        if (
            self.scales >= self.RESTART_AFTER_SCALES
            and self.since("restart_api") >= self.RESTART_EVERY_S
            and self.since("scale_api") >= self.SCALE_EVERY_S / 2
        ):
            self.scales = 0
            return [("restart_api", {})]
        if self.since("scale_api") >= self.SCALE_EVERY_S:
            self.scales += 1
            replicas = min(200, int(api.get("replicas", 20)) + self.SCALE_STEP)
            return [("scale_api", {"replicas": replicas})]
        return []


class ExpertPolicy(Policy):
    """Reads the signals and treats causes: the hot key, retries, connections.

    1. A key taking a large share of reads: coalesce fills, serve stale, and
       pre-warm it when its hit ratio dips.
    2. Clients retrying a lot: exponential backoff with jitter and a budget.
    3. Refused DB connections or contention: a transaction pooler (a few DB
       connections whatever the replicas), and a cap on the autoscaler.
    4. A queue full of requests whose clients gave up: drop expired work and
       shed a share at the edge until the queue drains, then stop shedding.
    """

    name = "expert"
    HOT_KEY_SHARE_RATIO = 0.2  # one key with this share of reads is "hot"
    RETRY_RATIO = 0.2  # retries per first try that mean a retry storm
    QUEUE_SECONDS = 1.0  # a queue longer than this many seconds of service
    SHED_SHARE_RATIO = 0.3
    CALM_S = 20.0  # queue short for this long: stop shedding
    POOLER_SIZE = 40  # ~2.5 x the DB's cores: where Postgres throughput peaks
    # Behind the pooler, replicas no longer cost DB connections; the cap only
    # bounds the bill for the surges to come.
    MAX_REPLICAS = 40

    def __init__(self) -> None:
        super().__init__()
        self.shedding = False
        self.calm_since_s: float | None = None

    def choose(self, frame_signals: dict[str, Any]) -> Decision:
        return [
            *self._hot_key(frame_signals),
            *self._retries(frame_signals),
            *self._connections(frame_signals),
            *self._backlog(frame_signals),
        ]

    def _hot_key(self, frame_signals: dict[str, Any]) -> Decision:
        cache = metrics_of(frame_signals, "cache")
        hot_rps = float(cache.get("hot_key_rps", 0))
        lookups = float(cache.get("lookups_rps", 0)) or 1.0
        if hot_rps / lookups < self.HOT_KEY_SHARE_RATIO:
            return []
        actions: Decision = []
        if not self.ever("enable_coalescing"):
            actions.append(("enable_coalescing", {}))
        if not self.ever("serve_stale"):
            actions.append(("serve_stale", {"enabled": True}))
        if cache.get("hot_key_hit_ratio", 1.0) < 0.9 and not self.ever(
            "prewarm_hot_key"
        ):
            actions.append(("prewarm_hot_key", {}))
        return actions

    def _retries(self, frame_signals: dict[str, Any]) -> Decision:
        clients = metrics_of(frame_signals, "clients")
        if self.ever("client_retry_policy"):
            return []
        if float(clients.get("retry_ratio", 0)) < self.RETRY_RATIO:
            return []
        policy = {
            "max_retries": 2,
            "backoff": "exponential_jitter",
            "base_ms": 200,
            "budget_ratio": 0.1,
        }
        return [("client_retry_policy", policy)]

    def _connections(self, frame_signals: dict[str, Any]) -> Decision:
        db = metrics_of(frame_signals, "db")
        refused = float(db.get("refused_rps", 0)) > 0
        crowded = float(db.get("active_queries", 0)) > 3 * self.POOLER_SIZE
        if not (refused or crowded) or self.ever("enable_db_pooler"):
            return []
        return [
            ("enable_db_pooler", {"enabled": True, "pool_size": self.POOLER_SIZE}),
            ("set_autoscaler", {"enabled": True, "max_replicas": self.MAX_REPLICAS}),
        ]

    def _backlog(self, frame_signals: dict[str, Any]) -> Decision:
        api = metrics_of(frame_signals, "api")
        served = float(api.get("served_rps", 0)) or 1.0
        backlog = float(api.get("queue", 0)) > served * self.QUEUE_SECONDS
        if backlog:
            self.calm_since_s = None
            if not self.shedding:
                self.shedding = True
                return [
                    (
                        "shed_load",
                        {"share": self.SHED_SHARE_RATIO, "drop_expired": True},
                    )
                ]
            return []
        if self.calm_since_s is None:
            self.calm_since_s = self.now_s
        if self.shedding and self.now_s - self.calm_since_s >= self.CALM_S:
            self.shedding = False
            return [("shed_load", {"share": 0.0, "drop_expired": True})]
        return []


POLICIES: dict[str, type[Policy]] = {"naive": NaivePolicy, "expert": ExpertPolicy}
