/**
 * Turns what the server sends into the typed shapes of ./types.ts.
 *
 * Input is hostile until checked: a frame that is not JSON or has no known type gives null,
 * a missing number becomes 0 (or null where "unknown" matters), and strings meant for people
 * stay strings (React renders them as text, never as HTML).
 */
import type {
  Alert,
  CatalogAction,
  ComponentSignals,
  Frame,
  Game,
  GameEvent,
  GameRef,
  GameState,
  JoinSession,
  Leaderboard,
  LeaderboardRow,
  LogLine,
  ParamSpec,
  Score,
  ScenarioSummary,
  ServerMessage,
  Signals,
  TeamSummary,
  TimelineEntry,
  UserSignals,
  Welcome,
} from "./types";

type Json = Record<string, unknown>;

const GAME_STATES: readonly GameState[] = ["lobby", "running", "paused", "ended"];

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function num(value: unknown, fallback = 0): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function numOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function str(value: unknown, fallback = ""): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return fallback;
}

function id(value: unknown): number | string {
  return typeof value === "number" ? value : str(value);
}

function list<T>(value: unknown, parseItem: (item: unknown) => T | null): T[] {
  if (!Array.isArray(value)) return [];
  const items: T[] = [];
  for (const item of value) {
    const parsed = parseItem(item);
    if (parsed !== null) items.push(parsed);
  }
  return items;
}

function ref(value: unknown): GameRef {
  const obj = isObject(value) ? value : {};
  return { id: id(obj.id), name: str(obj.name) };
}

function numericMetrics(value: unknown): Record<string, number> {
  const metrics: Record<string, number> = {};
  if (!isObject(value)) return metrics;
  for (const [key, metric] of Object.entries(value)) {
    if (typeof metric === "number" && Number.isFinite(metric)) metrics[key] = metric;
    else if (typeof metric === "boolean") metrics[key] = metric ? 1 : 0;
  }
  return metrics;
}

export function parseGameState(value: unknown): GameState | null {
  return GAME_STATES.includes(value as GameState) ? (value as GameState) : null;
}

function parseTeam(value: unknown): TeamSummary | null {
  if (!isObject(value)) return null;
  return {
    id: id(value.id),
    name: str(value.name),
    join_code: str(value.join_code),
    players: value.players,
  };
}

export function parseGame(value: unknown): Game | null {
  if (!isObject(value)) return null;
  return {
    id: id(value.id),
    name: str(value.name),
    scenario: str(value.scenario),
    seed: numOrNull(value.seed),
    state: parseGameState(value.state) ?? "lobby",
    speed: num(value.speed, 1),
    game_time_s: num(value.game_time_s),
    duration_s: num(value.duration_s),
    teams: list(value.teams, parseTeam),
  };
}

function parseUsers(value: unknown): UserSignals {
  const metrics = numericMetrics(value);
  return {
    ...metrics,
    offered_rps: metrics.offered_rps ?? 0,
    success_rps: metrics.success_rps ?? 0,
    error_ratio: metrics.error_ratio ?? 0,
    latency_p50_ms: metrics.latency_p50_ms ?? 0,
    latency_p99_ms: metrics.latency_p99_ms ?? 0,
  };
}

function parseComponent(value: unknown): ComponentSignals | null {
  if (!isObject(value) || typeof value.id !== "string") return null;
  return {
    id: value.id,
    kind: str(value.kind),
    label: str(value.label, value.id),
    metrics: numericMetrics(value.metrics),
  };
}

function parseAlert(value: unknown): Alert | null {
  if (!isObject(value)) return null;
  return {
    name: str(value.name),
    severity: str(value.severity),
    since_s: num(value.since_s),
    text: str(value.text),
  };
}

function parseLog(value: unknown): LogLine | null {
  if (!isObject(value)) return null;
  return {
    game_time_s: num(value.game_time_s),
    component: str(value.component),
    level: str(value.level, "info"),
    text: str(value.text),
  };
}

function parseEvent(value: unknown): GameEvent | null {
  if (!isObject(value)) return null;
  return { game_time_s: num(value.game_time_s), kind: str(value.kind), text: str(value.text) };
}

export function parseScore(value: unknown): Score | null {
  if (!isObject(value)) return null;
  return {
    score: num(value.score),
    availability_ratio: num(value.availability_ratio, 1),
    latency_p99_ms: num(value.latency_p99_ms),
    error_budget_left_ratio: num(value.error_budget_left_ratio, 1),
    time_in_slo_ratio: num(value.time_in_slo_ratio, 1),
    cost: num(value.cost),
    slo_met: value.slo_met === true,
    parts: list(value.parts, (part) =>
      isObject(part) ? { name: str(part.name), points: num(part.points) } : null,
    ),
  };
}

export function parseSignals(value: unknown): Signals | null {
  if (!isObject(value) || typeof value.game_time_s !== "number") return null;
  return {
    tick: num(value.tick),
    game_time_s: value.game_time_s,
    duration_s: num(value.duration_s),
    users: parseUsers(value.users),
    components: list(value.components, parseComponent),
    alerts: list(value.alerts, parseAlert),
    logs: list(value.logs, parseLog),
    events: list(value.events, parseEvent),
    score: parseScore(value.score),
  };
}

/** A frame of `welcome.history` may be `{seq, signals}` or the bare signals. */
function parseHistoryFrame(value: unknown): Frame | null {
  if (!isObject(value)) return null;
  const signals = parseSignals(isObject(value.signals) ? value.signals : value);
  return signals ? { seq: num(value.seq, -1), signals } : null;
}

function parseParamSpec(value: unknown): ParamSpec | null {
  if (!isObject(value)) return null;
  const type = value.type;
  if (type === "int" || type === "float") {
    return {
      type,
      min: numOrNull(value.min) ?? undefined,
      max: numOrNull(value.max) ?? undefined,
      default: numOrNull(value.default) ?? undefined,
      unit: str(value.unit),
    };
  }
  if (type === "bool") return { type, default: value.default === true };
  if (type === "choice") {
    const choices = list(value.choices, (choice) =>
      typeof choice === "string" || typeof choice === "number" ? String(choice) : null,
    );
    const fallback = choices[0];
    return { type, choices, default: str(value.default, fallback) };
  }
  return null;
}

export function parseCatalogAction(value: unknown): CatalogAction | null {
  if (!isObject(value) || typeof value.action !== "string") return null;
  const params: Record<string, ParamSpec> = {};
  if (isObject(value.params)) {
    for (const [name, spec] of Object.entries(value.params)) {
      const parsed = parseParamSpec(spec);
      if (parsed) params[name] = parsed;
    }
  }
  return {
    action: value.action,
    label: str(value.label, value.action),
    description: str(value.description),
    delay_s: num(value.delay_s),
    cost: str(value.cost),
    params,
  };
}

export function parseTimelineEntry(value: unknown): TimelineEntry | null {
  if (!isObject(value)) return null;
  const player = isObject(value.player) ? str(value.player.name) : str(value.player);
  const hasActionId = value.action_id !== undefined && value.action_id !== null;
  return {
    id: hasActionId ? id(value.action_id) : id(value.id),
    client_id: typeof value.id === "string" ? value.id : null,
    player,
    action: str(value.action),
    params: isObject(value.params) ? value.params : {},
    received_game_time_s: numOrNull(value.received_game_time_s),
    applied_game_time_s: numOrNull(value.applied_game_time_s),
    effective_game_time_s: numOrNull(value.effective_game_time_s),
  };
}

function parseWelcome(value: Json): Welcome | null {
  const game = parseGame(value.game);
  if (!game) return null;
  return {
    player: ref(value.player),
    team: ref(value.team),
    game,
    briefing: str(value.briefing),
    catalog: list(value.catalog, parseCatalogAction),
    history: list(value.history, parseHistoryFrame),
    timeline: list(value.timeline, parseTimelineEntry),
  };
}

function parseByType(message: Json): ServerMessage | null {
  switch (message.type) {
    case "welcome": {
      const welcome = parseWelcome(message);
      return welcome ? { type: "welcome", welcome } : null;
    }
    case "frame": {
      const signals = parseSignals(message.signals);
      return signals ? { type: "frame", frame: { seq: num(message.seq, -1), signals } } : null;
    }
    case "ack": {
      const entry = parseTimelineEntry(message.action);
      return entry ? { type: "ack", id: str(message.id), entry } : null;
    }
    case "timeline": {
      const entry = parseTimelineEntry(message.action);
      return entry ? { type: "timeline", entry } : null;
    }
    case "game": {
      const game = parseGame(message.game);
      return game ? { type: "game", game } : null;
    }
    case "error":
      return {
        type: "error",
        error: str(message.error, "the server reported an error"),
        field: typeof message.field === "string" ? message.field : undefined,
        id: typeof message.id === "string" ? message.id : undefined,
      };
    case "pong":
      return { type: "pong" };
    default:
      return null;
  }
}

/** Parses one websocket text frame; null when it is not a message this client knows. */
export function parseServerMessage(text: string): ServerMessage | null {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return null;
  }
  return isObject(message) ? parseByType(message) : null;
}

export function parseJoinSession(value: unknown): JoinSession | null {
  if (!isObject(value) || typeof value.token !== "string" || value.token === "") return null;
  return {
    token: value.token,
    player: ref(value.player),
    team: ref(value.team),
    game: ref(value.game),
  };
}

function teamId(value: unknown): number | string | null {
  return typeof value === "number" || (typeof value === "string" && value) ? value : null;
}

/** A row's team may be `{id, name}` or a name; the server sends `{id, name, score, ...}`. */
function parseLeaderboardRow(value: unknown): LeaderboardRow | null {
  if (!isObject(value)) return null;
  const team = isObject(value.team) ? value.team : null;
  const score = isObject(value.score) ? value.score : value;
  return {
    team: team ? str(team.name) : str(value.team ?? value.team_name ?? value.name),
    team_id: team ? id(team.id) : teamId(value.team_id ?? value.id),
    score: num(score.score),
    availability_ratio: numOrNull(score.availability_ratio),
    latency_p99_ms: numOrNull(score.latency_p99_ms),
    slo_met: typeof score.slo_met === "boolean" ? score.slo_met : null,
    error_budget_left_ratio: numOrNull(score.error_budget_left_ratio),
  };
}

export function parseLeaderboard(value: unknown): Leaderboard | null {
  if (!isObject(value)) return null;
  const game = isObject(value.game) ? ref(value.game) : null;
  const gameDetails = isObject(value.game) ? value.game : {};
  const teams = list(value.teams, parseLeaderboardRow).sort((a, b) => b.score - a.score);
  return {
    game,
    state: parseGameState(value.state ?? gameDetails.state),
    game_time_s: num(value.game_time_s ?? gameDetails.game_time_s),
    duration_s: numOrNull(value.duration_s ?? gameDetails.duration_s),
    teams,
  };
}

export function parseScenarios(value: unknown): ScenarioSummary[] {
  return list(value, (item) =>
    isObject(item) && typeof item.slug === "string"
      ? {
          slug: item.slug,
          title: str(item.title, item.slug),
          summary: str(item.summary),
          duration_s: num(item.duration_s),
        }
      : null,
  );
}

/** A `/ws/leaderboard/<id>/` frame: `{type: "leaderboard", ...}` or the board under a key. */
export function parseLeaderboardMessage(text: string): Leaderboard | null {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(message) || message.type !== "leaderboard") return null;
  return parseLeaderboard(isObject(message.leaderboard) ? message.leaderboard : message);
}
