import { describe, expect, it } from "vitest";
import type { TimelineEntry } from "../protocol/types";
import { entryPhase, findSentEntry, mergeTimeline, sentPhase } from "./timeline";
import type { SentAction } from "./warRoom";

const entry = (over: Partial<TimelineEntry> = {}): TimelineEntry => ({
  id: 7,
  client_id: "c-7",
  player: "alice",
  action: "scale_api",
  params: { replicas: 40 },
  received_game_time_s: 118,
  applied_game_time_s: null,
  effective_game_time_s: null,
  ...over,
});

describe("timeline", () => {
  it("follows an action from acked to applied to in effect", () => {
    expect(entryPhase(entry(), 119)).toBe("acked");
    const applied = entry({ applied_game_time_s: 118.1, effective_game_time_s: 163.1 });
    expect(entryPhase(applied, 120)).toBe("applied");
    expect(entryPhase(applied, 163.1)).toBe("in effect");
  });

  it("tells a sent action's phase before and after the answer", () => {
    expect(sentPhase("sending", undefined, 0)).toBe("pending");
    expect(sentPhase("rejected", undefined, 0)).toBe("rejected");
    expect(sentPhase("unknown", undefined, 0)).toBe("unknown");
    expect(sentPhase("acked", entry({ applied_game_time_s: 119 }), 120)).toBe("applied");
  });

  it("finds the entry of an action whose ack was lost, by its client id", () => {
    const sent: SentAction = {
      client_id: "c-7",
      action: "scale_api",
      params: { replicas: 40 },
      status: "unknown",
      error: "connection lost before the answer",
      entry_id: null,
    };
    const found = findSentEntry(sent, [entry({ id: 3, client_id: "c-3" }), entry()]);
    expect(found?.id).toBe(7);
    expect(sentPhase(sent.status, found, 200)).toBe("acked");
  });

  it("merges actions with faults in time order and leaves out action events", () => {
    const items = mergeTimeline(
      [entry()],
      [
        { game_time_s: 60, kind: "fault", text: "cache node lost" },
        { game_time_s: 118, kind: "action", text: "alice scaled the API" },
        { game_time_s: 200, kind: "fault", text: "celebrity posts" },
      ],
    );
    expect(items.map((item) => [item.game_time_s, item.kind])).toEqual([
      [60, "fault"],
      [118, "action"],
      [200, "fault"],
    ]);
  });
});
