import { describe, expect, it } from "vitest";
import { parseServerMessage } from "../protocol/parse";
import type { ServerMessage } from "../protocol/types";
import { signals, timelineEntry, welcome } from "../testing/fixtures";
import { currentGameTime, WarRoom } from "./warRoom";

function message(value: unknown): ServerMessage {
  const parsed = parseServerMessage(JSON.stringify(value));
  if (!parsed) throw new Error(`not a message: ${JSON.stringify(value)}`);
  return parsed;
}

function welcomedRoom(): WarRoom {
  const room = new WarRoom(900);
  room.receive(message(welcome()));
  return room;
}

describe("WarRoom", () => {
  it("seeds the charts from the welcome's history", () => {
    const room = welcomedRoom();
    const state = room.getState();
    expect(state.welcomed).toBe(true);
    expect(state.users.times).toEqual([1, 2]);
    expect(state.components.get("db")?.column("max_connections")).toEqual([200, 200]);
    expect(room.lastSeq).toBe(2);
    expect(currentGameTime(state)).toBe(2);
  });

  it("adds frames and keeps the newest signals", () => {
    const room = welcomedRoom();
    room.receive(message({ type: "frame", seq: 3, signals: signals(3) }));
    expect(room.getState().users.times).toEqual([1, 2, 3]);
    expect(room.getState().signals?.game_time_s).toBe(3);
    expect(room.lastSeq).toBe(3);
  });

  it("does not double what a reconnect sends again", () => {
    const room = welcomedRoom();
    const logs = [{ game_time_s: 2, component: "db", level: "error", text: "too many clients" }];
    const events = [{ game_time_s: 2, kind: "fault", text: "db slows down" }];
    room.receive(message({ type: "frame", seq: 3, signals: signals(3, { logs, events }) }));
    room.receive(
      message(welcome({ history: [{ seq: 3, signals: signals(3, { logs, events }) }] })),
    );
    const state = room.getState();
    expect(state.users.times).toEqual([1, 2, 3]);
    expect(state.logs).toHaveLength(1);
    expect(state.events).toHaveLength(1);
  });

  it("follows a sent action through ack and the runner's updates", () => {
    const room = welcomedRoom();
    room.sent("c-1", "scale_api", { replicas: 40 });
    expect(room.getState().sent[0]?.status).toBe("sending");
    room.receive(message({ type: "ack", id: "c-1", action: timelineEntry() }));
    expect(room.getState().sent[0]).toMatchObject({ status: "acked", entry_id: 11 });
    room.receive(
      message({
        type: "timeline",
        action: timelineEntry({ applied_game_time_s: 2.6, effective_game_time_s: 47.6 }),
      }),
    );
    expect(room.getState().timeline).toEqual([
      expect.objectContaining({ id: 11, applied_game_time_s: 2.6, effective_game_time_s: 47.6 }),
    ]);
  });

  it("marks the action an error names, and shows other errors as a notice", () => {
    const room = welcomedRoom();
    room.sent("c-2", "scale_api", { replicas: 400 });
    room.receive(message({ type: "error", error: "replicas: at most 200", id: "c-2" }));
    expect(room.getState().sent[0]).toMatchObject({
      status: "rejected",
      error: "replicas: at most 200",
    });
    room.receive(message({ type: "error", error: "unknown type: dance" }));
    expect(room.getState().notice).toBe("unknown type: dance");
  });

  it("leaves an unanswered action unknown when the connection drops", () => {
    const room = welcomedRoom();
    room.sent("c-3", "scale_api", { replicas: 30 });
    room.disconnected();
    expect(room.getState().sent[0]?.status).toBe("unknown");
  });

  it("takes an error before the welcome as a refusal", () => {
    const room = new WarRoom();
    room.receive(message({ type: "error", error: "unknown token" }));
    expect(room.getState().refused).toBe("unknown token");
  });

  it("takes an error right after a reconnect's hello as a refusal too", () => {
    const room = welcomedRoom();
    room.helloSent();
    room.receive(message({ type: "error", error: "unknown token" }));
    expect(room.getState().refused).toBe("unknown token");
  });

  it("follows the game's state", () => {
    const room = welcomedRoom();
    room.receive(message({ type: "game", game: { ...welcome().game, state: "paused", speed: 2 } }));
    expect(room.getState().game).toMatchObject({ state: "paused", speed: 2 });
  });
});
