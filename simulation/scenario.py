"""Scenario files: the pydantic schema, the YAML loader and the listing.

A scenario is data: topology, traffic, fault schedule, SLOs, allowed
mitigations and a briefing. Every number carries its unit, either in the field's
name (`baseline_rps`, `hit_ratio`) or in its value (`ttl: 60s`); every field has
a documented default, so a scenario only states what differs from the
defaults. The loader turns every problem into a `ScenarioError` whose message
names the file, the field path and what was expected.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import ErrorDetails

logger = logging.getLogger(__name__)

ACTION_NAMES = (
    "scale_api",
    "enable_coalescing",
    "prewarm_hot_key",
    "serve_stale",
    "client_retry_policy",
    "shed_load",
    "cap_db_pool",
    "enable_db_pooler",
    "set_autoscaler",
    "restart_api",
)
ActionName = Literal[
    "scale_api",
    "enable_coalescing",
    "prewarm_hot_key",
    "serve_stale",
    "client_retry_policy",
    "shed_load",
    "cap_db_pool",
    "enable_db_pooler",
    "set_autoscaler",
    "restart_api",
]

ALL_ACTIONS: tuple[ActionName, ...] = ACTION_NAMES  # type: ignore[assignment]
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)\s*$")
_SECONDS_PER_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}
DURATION_HINT = "a duration with its unit, such as '500ms', '60s' or '15m'"


class ScenarioError(Exception):
    """A scenario file that cannot be used; the message says where and why."""


def parse_duration(value: object) -> float:
    """Return seconds for a duration written with its unit ('60s', '500ms')."""
    if isinstance(value, str):
        match = _DURATION_RE.match(value)
        if match:
            return float(match.group(1)) * _SECONDS_PER_UNIT[match.group(2)]
    raise ValueError(DURATION_HINT)


def format_duration(seconds: float) -> str:
    """Write seconds back as the shortest exact duration string."""
    if seconds and seconds < 1:
        return f"{round(seconds * 1000, 3):g}ms"
    if seconds >= 60 and seconds % 60 == 0:
        return "%gm" % (seconds / 60)
    return f"{seconds:g}s"


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d+(\.\d+)?(ms|s|m|min|h)$",
            "description": DURATION_HINT,
        }
    ),
]
Ratio = Annotated[float, Field(ge=0.0, le=1.0)]


class _Spec(BaseModel):
    """Base of every part of a scenario: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ClientsSpec(_Spec):
    """The user-facing apps: baseline demand, timeout and retry behaviour."""

    baseline_rps: float = Field(
        default=6000.0,
        gt=0,
        description="Feed requests per second before anything happens "
        "(a mid-size social app's evening traffic).",
    )
    noise_ratio: Ratio = Field(
        default=0.03, description="Standard deviation of the baseline's random wobble."
    )
    timeout: Duration = Field(
        default=1.0,
        gt=0,
        description="Client timeout per attempt; 1 s is a mobile default.",
    )
    max_retries: int = Field(
        default=3, ge=0, le=10, description="Retries after an error or a timeout."
    )
    retry_backoff: Literal["none", "exponential", "exponential_jitter"] = Field(
        default="none", description="How long a client waits before retrying."
    )
    retry_base: Duration = Field(
        default=0.0, ge=0, description="Delay before the first retry ('0s': immediate)."
    )
    retry_budget_ratio: Ratio | None = Field(
        default=None, description="Retries allowed per first try; null means no budget."
    )
    policy_rollout: Duration = Field(
        default=150.0,
        gt=0,
        description="Time for every client to pick up a new retry policy "
        "(each on its next app start or config refresh).",
    )


class AutoscalerSpec(_Spec):
    """A horizontal autoscaler on thread utilisation, with its lag."""

    enabled: bool = Field(default=True, description="Whether it runs at the start.")
    min_replicas: int = Field(default=20, ge=1, description="Never fewer replicas.")
    max_replicas: int = Field(default=60, ge=1, description="Never more replicas.")
    target_utilisation_ratio: Ratio = Field(
        default=0.6, gt=0, description="Utilisation it aims for (an HPA-style target)."
    )
    period: Duration = Field(
        default=15.0,
        gt=0,
        description="Evaluation period; 15 s is the HPA sync period.",
    )
    scale_down_window: Duration = Field(
        default=300.0,
        ge=0,
        description="Stabilisation before scaling down (HPA: 5 min).",
    )


class ApiSpec(_Spec):
    """The API servers: replicas, threads, service time and DB pools."""

    replicas: int = Field(
        default=20, ge=1, le=200, description="Replicas at the start."
    )
    threads_per_replica: int = Field(
        default=16, ge=1, description="Requests one replica works on at once."
    )
    service_time: Duration = Field(
        default=0.020,
        gt=0,
        description="CPU time per request, without waiting on the DB.",
    )
    startup: Duration = Field(
        default=45.0,
        ge=0,
        description="From scheduling a replica to it taking traffic.",
    )
    db_pool_per_replica: int = Field(
        default=10, ge=1, description="DB connections each replica's pool opens."
    )
    pool_timeout: Duration = Field(
        default=1.0, gt=0, description="How long a request waits for a DB connection."
    )
    queue_requests_per_replica: int = Field(
        default=1024,
        ge=0,
        description="Requests one replica holds waiting for a thread (its listen "
        "backlog and accept queue; Puma's default backlog is 1024). Past it, new "
        "requests get an immediate 503, which clients retry like any error.",
    )
    local_cache_hit_ratio: Ratio = Field(
        default=0.5,
        description="Share of ordinary reads answered by the in-process cache "
        "once warm (it is cold after a restart).",
    )
    local_cache_warmup: Duration = Field(
        default=60.0,
        gt=0,
        description="Time for a cold in-process cache to warm up again.",
    )
    autoscaler: AutoscalerSpec = Field(
        default=AutoscalerSpec(), description="The autoscaler of the API replicas."
    )


class CacheSpec(_Spec):
    """The shared cache (memcached-like) and the one hot key."""

    hit_ratio: Ratio = Field(
        default=0.8, description="Shared-cache hit ratio for ordinary keys."
    )
    lookup_time: Duration = Field(
        default=0.001, ge=0, description="One cache round trip."
    )
    nodes: int = Field(default=20, ge=1, description="Cache nodes; a key lives on one.")
    node_capacity_rps: float = Field(
        default=80000.0, gt=0, description="Lookups one node answers per second."
    )
    hot_key: str = Field(default="post:8812", description="The key everyone will read.")
    ttl: Duration = Field(default=60.0, gt=0, description="TTL of the hot key.")
    stale_window: Duration = Field(
        default=60.0, ge=0, description="How long a stale value may still be served."
    )
    coalescing: bool = Field(
        default=False, description="Single flight per key at start."
    )
    serve_stale: bool = Field(
        default=False, description="Stale-while-revalidate at start."
    )


class DatabaseSpec(_Spec):
    """The primary database: connections, cores and query time under load."""

    max_connections: int = Field(
        default=300, ge=1, description="Postgres max_connections."
    )
    reserved_connections: int = Field(
        default=3,
        ge=0,
        description="Kept for superusers (superuser_reserved_connections).",
    )
    cores: int = Field(
        default=16, ge=1, description="CPU cores; queries past them queue."
    )
    query_time: Duration = Field(
        default=0.008, gt=0, description="An ordinary feed query, alone on the DB."
    )
    hot_query_time: Duration = Field(
        default=0.030,
        gt=0,
        description="The hot post's query (post, counters, comments).",
    )
    contention_ratio: float = Field(
        default=0.005,
        ge=0,
        description="Extra slowdown per active query past the cores (locks, "
        "context switches): what makes throughput fall under overload.",
    )
    connection_attempt_cpu: Duration = Field(
        default=0.003,
        ge=0,
        description="CPU a refused or accepted connection attempt costs.",
    )
    pooler_pool_size: int = Field(
        default=40, ge=1, description="DB connections a transaction pooler would open."
    )


class TopologySpec(_Spec):
    """The system under test, from the apps to the database."""

    clients: ClientsSpec = Field(
        default=ClientsSpec(), description="The apps and how they retry."
    )
    api: ApiSpec = Field(default=ApiSpec(), description="The API servers.")
    cache: CacheSpec = Field(default=CacheSpec(), description="The caches.")
    database: DatabaseSpec = Field(
        default=DatabaseSpec(), description="The primary database."
    )


class PostSurgeFault(_Spec):
    """A celebrity posts (or reshares): followers open the app over minutes."""

    kind: Literal["post_surge"]
    at: Duration = Field(description="Game time of the post.")
    text: str = Field(default="", description="Event text players see.")
    followers: int = Field(default=20_000_000, ge=0, description="Who gets notified.")
    open_ratio: Ratio = Field(default=0.01, description="Share of followers who open.")
    requests_per_open: float = Field(
        default=3.0, ge=0, description="Feed requests an app opening makes."
    )
    rise: Duration = Field(default=45.0, gt=0, description="Notifications fan out.")
    decay: Duration = Field(
        default=90.0, gt=0, description="Time constant of the decay."
    )


class KeyInvalidationsFault(_Spec):
    """The author edits the post again and again; each edit deletes the key."""

    kind: Literal["key_invalidations"]
    at: Duration = Field(description="First edit.")
    text: str = Field(default="", description="Event text players see.")
    until: Duration = Field(description="No edits after this game time.")
    every_min: Duration = Field(
        default=5.0, gt=0, description="Shortest gap between edits."
    )
    every_max: Duration = Field(
        default=10.0, gt=0, description="Longest gap between edits."
    )


class CacheNodeRestartFault(_Spec):
    """The cache node holding the hot key restarts and comes back empty."""

    kind: Literal["cache_node_restart"]
    at: Duration = Field(description="Game time of the restart.")
    text: str = Field(default="", description="Event text players see.")


Fault = Annotated[
    PostSurgeFault | KeyInvalidationsFault | CacheNodeRestartFault,
    Field(discriminator="kind"),
]


class SloSpec(_Spec):
    """What users must see, measured on each request's final outcome."""

    availability_ratio: Ratio = Field(
        default=0.999, description="Share of user requests that succeed in time."
    )
    good_within: Duration = Field(
        default=1.0, gt=0, description="A success slower than this counts as bad."
    )
    latency_p99: Duration = Field(default=0.3, gt=0, description="p99 latency target.")


class ScoringSpec(_Spec):
    """How the SLO and the money spent turn into points."""

    budget_points: float = Field(
        default=400.0, ge=0, description="Points for keeping the whole error budget."
    )
    slo_time_points: float = Field(
        default=600.0,
        ge=0,
        description="Points for spending the whole game within SLO.",
    )
    replica_minute_cost: float = Field(
        default=0.5, ge=0, description="Points per replica-minute above the start."
    )
    pooler_minute_cost: float = Field(
        default=1.0, ge=0, description="Points per minute the DB pooler runs."
    )
    prewarm_cost: float = Field(
        default=2.0, ge=0, description="Points per pre-warm job."
    )


class Scenario(_Spec):
    """A whole scenario file, validated."""

    slug: str = Field(
        default="", description="Defaults to the file name without .yaml."
    )
    title: str = Field(min_length=1, description="Shown in the lobby.")
    summary: str = Field(default="", description="One or two sentences for the lobby.")
    briefing: str = Field(default="", description="Markdown the players read first.")
    duration: Duration = Field(default=900.0, gt=0, description="Length of a game.")
    tick: Duration = Field(default=0.1, gt=0, le=1, description="Simulation step.")
    topology: TopologySpec = Field(
        default=TopologySpec(), description="The system under test."
    )
    faults: list[Fault] = Field(
        default_factory=list, description="The fault schedule, in game time."
    )
    slo: SloSpec = Field(default=SloSpec(), description="The SLO users must see.")
    scoring: ScoringSpec = Field(
        default=ScoringSpec(), description="How points are won and spent."
    )
    mitigations: list[ActionName] = Field(
        default_factory=lambda: list(ALL_ACTIONS),
        description="Actions the players may take.",
    )

    @field_validator("mitigations")
    @classmethod
    def _no_duplicates(cls, names: list[str]) -> list[str]:
        if len(set(names)) != len(names):
            raise ValueError("each mitigation at most once")
        return names


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raise `ScenarioError` if it is bad."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(f"{path}: cannot read: {error.strerror}") from None
    return parse_scenario(text, str(path), default_slug=path.stem)


def parse_scenario(text: str, source: str, default_slug: str = "") -> Scenario:
    """Validate scenario YAML text; `source` names it in error messages."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark is not None else ""
        raise ScenarioError(f"{source}:{where} not valid YAML") from None
    if not isinstance(document, dict):
        raise ScenarioError(f"{source}: expected a mapping of fields at the top")
    if default_slug and not document.get("slug"):
        document = {**document, "slug": default_slug}
    try:
        return Scenario.model_validate(document)
    except ValidationError as error:
        raise ScenarioError(_describe(source, error)) from None


def _describe(source: str, error: ValidationError) -> str:
    """Turn pydantic's errors into lines naming file, field and expectation."""
    lines = [_describe_one(detail) for detail in error.errors(include_url=False)]
    return "\n".join(f"{source}: {line}" for line in lines)


def _describe_one(detail: ErrorDetails) -> str:
    path = _field_path(detail["loc"])
    kind = detail["type"]
    got = detail.get("input")
    if kind == "missing":
        return f"{path}: required field is missing"
    if kind == "extra_forbidden":
        return f"{path}: unknown field; check its spelling"
    if kind == "union_tag_invalid":
        context = detail.get("ctx", {})
        expected = context.get("expected_tags", "")
        return f"{path}.kind: expected one of {expected}, got {context.get('tag')!r}"
    message = str(detail["msg"]).removeprefix("Value error, ")
    if kind.startswith("literal"):
        expected = detail.get("ctx", {}).get("expected", "")
        message = f"expected {expected}"
    elif not message.startswith("expected"):
        message = "expected " + message[0].lower() + message[1:]
    return f"{path}: {message}, got {_short(got)}"


def _field_path(loc: tuple[int | str, ...]) -> str:
    """`('faults', 0, 'post_surge', 'at')` -> `faults[0].at`."""
    path = ""
    previous: int | str | None = None
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif previous is not None and isinstance(previous, int) and _is_tag(part):
            continue
        else:
            path += ("." if path else "") + part
        previous = part
    return path or "(top level)"


def _is_tag(part: str) -> bool:
    return part in {"post_surge", "key_invalidations", "cache_node_restart"}


def _short(value: Any) -> str:
    text = json.dumps(value, default=str) if value is not None else "nothing"
    return text if len(text) <= 60 else text[:57] + "..."


def list_scenarios(directory: str | Path) -> list[dict[str, Any]]:
    """Return slug, title, summary and duration_s of each valid scenario."""
    found = []
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            logger.warning("skipping invalid scenario: %s", error)
            continue
        found.append(
            {
                "slug": scenario.slug,
                "title": scenario.title,
                "summary": scenario.summary,
                "duration_s": scenario.duration,
            }
        )
    return found
