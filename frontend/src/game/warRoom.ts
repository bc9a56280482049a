/**
 * The state of a team's war room, built from the messages of `/ws/play/` (protocol section 5).
 *
 * Framework-free: `WarRoom` folds server messages and the player's own sends into a state; a
 * hook subscribes to it. Each change makes a new state object (so React sees it), while the
 * chart buffers inside are mutated in place (copying thousands of points per frame would be
 * waste) and the state's `version` says they changed.
 */
import type {
  CatalogAction,
  Frame,
  Game,
  GameEvent,
  LogLine,
  ParamValue,
  PlayerRef,
  ServerMessage,
  Signals,
  TeamRef,
  TimelineEntry,
  Welcome,
} from "../protocol/types";
import { DEFAULT_WINDOW_S, SeriesBuffer } from "./series";

export const MAX_LOG_LINES = 300;

export type SendStatus = "sending" | "acked" | "rejected" | "unknown";

/** An action this browser sent, until the server's answer ties it to a timeline entry. */
export interface SentAction {
  client_id: string;
  action: string;
  params: Record<string, ParamValue>;
  status: SendStatus;
  error: string | null;
  entry_id: number | string | null;
}

export interface WarRoomState {
  version: number;
  welcomed: boolean;
  /** `hello` went out on this connection and no `welcome` came back yet. */
  awaiting_welcome: boolean;
  player: PlayerRef | null;
  team: TeamRef | null;
  game: Game | null;
  briefing: string;
  catalog: CatalogAction[];
  signals: Signals | null;
  last_seq: number;
  users: SeriesBuffer;
  components: ReadonlyMap<string, SeriesBuffer>;
  logs: LogLine[];
  events: GameEvent[];
  timeline: TimelineEntry[];
  sent: SentAction[];
  /** The last error the server sent that belongs to no action. */
  notice: string | null;
  /** Set when the server refused us for good (bad token): the room cannot work. */
  refused: string | null;
}

function logKey(line: LogLine): string {
  return `${line.game_time_s}|${line.component}|${line.level}|${line.text}`;
}

function eventKey(event: GameEvent): string {
  return `${event.game_time_s}|${event.kind}|${event.text}`;
}

export function initialWarRoomState(window_s: number = DEFAULT_WINDOW_S): WarRoomState {
  return {
    version: 0,
    welcomed: false,
    awaiting_welcome: false,
    player: null,
    team: null,
    game: null,
    briefing: "",
    catalog: [],
    signals: null,
    last_seq: -1,
    users: new SeriesBuffer(window_s),
    components: new Map(),
    logs: [],
    events: [],
    timeline: [],
    sent: [],
    notice: null,
    refused: null,
  };
}

/**
 * The team's game time: its newest frame's, or the game's while no frame came. The frame's
 * wins because it is the time of what the team sees (a runner catching up lags the game).
 */
export function currentGameTime(state: WarRoomState): number {
  return state.signals?.game_time_s ?? state.game?.game_time_s ?? 0;
}

export class WarRoom {
  private state: WarRoomState;
  private readonly listeners = new Set<() => void>();
  private readonly logKeys = new Set<string>();
  private readonly eventKeys = new Set<string>();

  constructor(private readonly window_s: number = DEFAULT_WINDOW_S) {
    this.state = initialWarRoomState(window_s);
  }

  getState = (): WarRoomState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The `last_seq` to put in `hello`, or undefined before any frame. */
  get lastSeq(): number | undefined {
    return this.state.last_seq >= 0 ? this.state.last_seq : undefined;
  }

  receive(message: ServerMessage): void {
    switch (message.type) {
      case "welcome":
        return this.welcome(message.welcome);
      case "frame":
        return this.frame(message.frame);
      case "ack":
        return this.ack(message.id, message.entry);
      case "timeline":
        return this.update({ timeline: upsertEntry(this.state.timeline, message.entry) });
      case "game":
        return this.update({ game: message.game });
      case "error":
        return this.error(message.error, message.id);
      case "pong":
        return;
    }
  }

  /** Call when `hello` went out: an error before the `welcome` is then a refusal. */
  helloSent(): void {
    this.update({ awaiting_welcome: true });
  }

  /** Records an action as sent; call after the socket took it. */
  sent(client_id: string, action: string, params: Record<string, ParamValue>): void {
    const entry: SentAction = {
      client_id,
      action,
      params,
      status: "sending",
      error: null,
      entry_id: null,
    };
    this.update({ sent: [...this.state.sent, entry] });
  }

  /**
   * The connection dropped: an action still unanswered may or may not have reached the server.
   * It is not sent again (it could apply twice); the team's timeline after the reconnect tells.
   */
  disconnected(): void {
    if (!this.state.sent.some((sent) => sent.status === "sending")) return;
    const sent = this.state.sent.map((item) =>
      item.status === "sending"
        ? { ...item, status: "unknown" as const, error: "connection lost before the answer" }
        : item,
    );
    this.update({ sent });
  }

  refuse(reason: string): void {
    this.update({ refused: reason });
  }

  private welcome(welcome: Welcome): void {
    let timeline = this.state.timeline;
    for (const entry of welcome.timeline) timeline = upsertEntry(timeline, entry);
    this.update({
      welcomed: true,
      awaiting_welcome: false,
      player: welcome.player,
      team: welcome.team,
      game: welcome.game,
      briefing: welcome.briefing,
      catalog: welcome.catalog,
      timeline,
      notice: null,
    });
    for (const frame of welcome.history) this.frame(frame);
  }

  private frame(frame: Frame): void {
    const isNew = frame.seq < 0 || frame.seq > this.state.last_seq;
    const signals = frame.signals;
    this.state.users.add(signals.game_time_s, signals.users);
    const components = new Map(this.state.components);
    for (const component of signals.components) {
      let buffer = components.get(component.id);
      if (!buffer) {
        buffer = new SeriesBuffer(this.window_s);
        components.set(component.id, buffer);
      }
      buffer.add(signals.game_time_s, component.metrics);
    }
    const latest = this.state.signals;
    const newest = !latest || signals.game_time_s >= latest.game_time_s;
    this.update({
      signals: newest ? signals : latest,
      last_seq: isNew ? Math.max(this.state.last_seq, frame.seq) : this.state.last_seq,
      components,
      logs: this.mergeLogs(signals.logs),
      events: this.mergeEvents(signals.events),
    });
  }

  private ack(client_id: string, entry: TimelineEntry): void {
    const sent = this.state.sent.map((item) =>
      item.client_id === client_id
        ? { ...item, status: "acked" as const, error: null, entry_id: entry.id }
        : item,
    );
    this.update({ sent, timeline: upsertEntry(this.state.timeline, entry) });
  }

  private error(error: string, client_id: string | undefined): void {
    if ((this.state.awaiting_welcome || !this.state.welcomed) && !client_id) {
      this.update({ refused: error });
      return;
    }
    const owner = client_id && this.state.sent.find((item) => item.client_id === client_id);
    if (!owner) {
      this.update({ notice: error });
      return;
    }
    const sent = this.state.sent.map((item) =>
      item.client_id === client_id ? { ...item, status: "rejected" as const, error } : item,
    );
    this.update({ sent });
  }

  private mergeLogs(lines: LogLine[]): LogLine[] {
    const fresh = lines.filter((line) => !this.logKeys.has(logKey(line)));
    if (!fresh.length) return this.state.logs;
    for (const line of fresh) this.logKeys.add(logKey(line));
    const logs = [...this.state.logs, ...fresh].sort((a, b) => a.game_time_s - b.game_time_s);
    const dropped = logs.splice(0, Math.max(0, logs.length - MAX_LOG_LINES));
    for (const line of dropped) this.logKeys.delete(logKey(line));
    return logs;
  }

  private mergeEvents(events: GameEvent[]): GameEvent[] {
    const fresh = events.filter((event) => !this.eventKeys.has(eventKey(event)));
    if (!fresh.length) return this.state.events;
    for (const event of fresh) this.eventKeys.add(eventKey(event));
    return [...this.state.events, ...fresh].sort((a, b) => a.game_time_s - b.game_time_s);
  }

  private update(change: Partial<WarRoomState>): void {
    this.state = { ...this.state, ...change, version: this.state.version + 1 };
    for (const listener of this.listeners) listener();
  }
}

function upsertEntry(timeline: TimelineEntry[], entry: TimelineEntry): TimelineEntry[] {
  const index = timeline.findIndex((item) => item.id === entry.id);
  if (index < 0) return [...timeline, entry];
  const updated = [...timeline];
  updated[index] = entry;
  return updated;
}
