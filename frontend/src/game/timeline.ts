/**
 * The team's timeline: its actions (who, what, received, applied, in effect) merged with the
 * faults and other events the frames reported, in game-time order.
 */
import type { GameEvent, TimelineEntry } from "../protocol/types";
import type { SendStatus, SentAction } from "./warRoom";

export type ActionPhase = "pending" | "acked" | "applied" | "in effect" | "rejected" | "unknown";

/** Where an acknowledged action stands at game time `now_s`. */
export function entryPhase(entry: TimelineEntry, now_s: number): ActionPhase {
  if (entry.applied_game_time_s === null) return "acked";
  if (entry.effective_game_time_s !== null && entry.effective_game_time_s <= now_s) {
    return "in effect";
  }
  return "applied";
}

/** The phase of an action this browser sent, from its send status and its entry if any. */
export function sentPhase(
  status: SendStatus,
  entry: TimelineEntry | undefined,
  now_s: number,
): ActionPhase {
  if (status === "sending") return "pending";
  if (status === "rejected") return "rejected";
  if (entry) return entryPhase(entry, now_s);
  return status === "unknown" ? "unknown" : "acked";
}

/**
 * The timeline entry of an action this browser sent: by the ack's entry id, or, when the ack
 * was lost in a reconnect, by the client id the entry carries.
 */
export function findSentEntry(
  sent: SentAction,
  timeline: TimelineEntry[],
): TimelineEntry | undefined {
  return timeline.find((entry) =>
    sent.entry_id !== null ? entry.id === sent.entry_id : entry.client_id === sent.client_id,
  );
}

export type TimelineItem =
  | { key: string; game_time_s: number; kind: "action"; entry: TimelineEntry }
  | { key: string; game_time_s: number; kind: string; event: GameEvent };

/**
 * Actions sit at the time the server received them; events of kind "action" are left out
 * because the entries already say it, with more detail.
 */
export function mergeTimeline(entries: TimelineEntry[], events: GameEvent[]): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const entry of entries) {
    const game_time_s = entry.received_game_time_s ?? entry.applied_game_time_s ?? 0;
    items.push({ key: `action-${entry.id}`, game_time_s, kind: "action", entry });
  }
  for (const event of events) {
    if (event.kind === "action") continue;
    const key = `event-${event.game_time_s}-${event.kind}-${event.text}`;
    items.push({ key, game_time_s: event.game_time_s, kind: event.kind, event });
  }
  return items.sort((a, b) => a.game_time_s - b.game_time_s);
}
