/**
 * The shapes of docs/protocol.md, sections 2-5, as the browser sees them.
 * Numbers carry their unit in their name, as on the server.
 */

export type GameState = "lobby" | "running" | "paused" | "ended";

export interface TeamSummary {
  id: number | string;
  name: string;
  join_code?: string;
  players?: unknown;
}

export interface Game {
  id: number | string;
  name: string;
  scenario?: string;
  seed?: number | null;
  state: GameState;
  speed: number;
  game_time_s: number;
  duration_s: number;
  teams: TeamSummary[];
}

export interface PlayerRef {
  id: number | string;
  name: string;
}

export interface TeamRef {
  id: number | string;
  name: string;
}

export interface GameRef {
  id: number | string;
  name: string;
}

/** What POST /api/join answers, kept in localStorage for the war room. */
export interface JoinSession {
  token: string;
  player: PlayerRef;
  team: TeamRef;
  game: GameRef;
}

export interface UserSignals {
  offered_rps: number;
  success_rps: number;
  error_ratio: number;
  latency_p50_ms: number;
  latency_p99_ms: number;
  [metric: string]: number;
}

export interface ComponentSignals {
  id: string;
  kind: string;
  label: string;
  metrics: Record<string, number>;
}

export interface Alert {
  name: string;
  severity: string;
  since_s: number;
  text: string;
}

export interface LogLine {
  game_time_s: number;
  component: string;
  level: string;
  text: string;
}

export interface GameEvent {
  game_time_s: number;
  kind: string;
  text: string;
}

export interface ScorePart {
  name: string;
  points: number;
}

export interface Score {
  score: number;
  availability_ratio: number;
  latency_p99_ms: number;
  error_budget_left_ratio: number;
  time_in_slo_ratio: number;
  cost: number;
  slo_met: boolean;
  parts: ScorePart[];
}

export interface Signals {
  tick: number;
  game_time_s: number;
  duration_s: number;
  users: UserSignals;
  components: ComponentSignals[];
  alerts: Alert[];
  logs: LogLine[];
  events: GameEvent[];
  score: Score | null;
}

export interface Frame {
  seq: number;
  signals: Signals;
}

export type ParamSpec =
  | { type: "int" | "float"; min?: number; max?: number; default?: number; unit?: string }
  | { type: "bool"; default?: boolean }
  | { type: "choice"; choices: string[]; default?: string };

export interface CatalogAction {
  action: string;
  label: string;
  description: string;
  delay_s: number;
  cost: string;
  params: Record<string, ParamSpec>;
}

export type ParamValue = number | boolean | string;

export interface TimelineEntry {
  /** The entry's identity: the server's `action_id` when sent, else its `id`. */
  id: number | string;
  /** The id the sending client chose (the backend sends it as `id`), to match an ack. */
  client_id: string | null;
  player: string;
  action: string;
  params: Record<string, unknown>;
  received_game_time_s: number | null;
  applied_game_time_s: number | null;
  effective_game_time_s: number | null;
}

export interface Welcome {
  player: PlayerRef;
  team: TeamRef;
  game: Game;
  briefing: string;
  catalog: CatalogAction[];
  history: Frame[];
  timeline: TimelineEntry[];
}

export type ServerMessage =
  | { type: "welcome"; welcome: Welcome }
  | { type: "frame"; frame: Frame }
  | { type: "ack"; id: string; entry: TimelineEntry }
  | { type: "timeline"; entry: TimelineEntry }
  | { type: "game"; game: Game }
  | { type: "error"; error: string; field?: string; id?: string }
  | { type: "pong" };

export interface LeaderboardRow {
  team: string;
  team_id: number | string | null;
  score: number;
  availability_ratio: number | null;
  latency_p99_ms: number | null;
  slo_met: boolean | null;
  error_budget_left_ratio: number | null;
}

export interface Leaderboard {
  game: GameRef | null;
  state: GameState | null;
  game_time_s: number;
  duration_s: number | null;
  teams: LeaderboardRow[];
}

export interface ScenarioSummary {
  slug: string;
  title: string;
  summary: string;
  duration_s: number;
}
