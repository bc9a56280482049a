import { describe, expect, it } from "vitest";
import { game, signals, timelineEntry, welcome } from "../testing/fixtures";
import { parseLeaderboard, parseLeaderboardMessage, parseServerMessage } from "./parse";

const text = (value: unknown) => JSON.stringify(value);

describe("parseServerMessage", () => {
  it("reads a welcome with its catalog, history and timeline", () => {
    const message = parseServerMessage(text(welcome({ timeline: [timelineEntry()] })));
    expect(message?.type).toBe("welcome");
    if (message?.type !== "welcome") return;
    expect(message.welcome.team.name).toBe("Blue");
    expect(message.welcome.game.state).toBe("running");
    expect(message.welcome.catalog[0]?.params.replicas).toMatchObject({ type: "int", max: 200 });
    expect(message.welcome.history.map((frame) => frame.seq)).toEqual([1, 2]);
    expect(message.welcome.timeline[0]?.player).toBe("alice");
  });

  it("accepts history as bare signals too", () => {
    const message = parseServerMessage(text(welcome({ history: [signals(5)] })));
    expect(message?.type === "welcome" && message.welcome.history[0]?.signals.game_time_s).toBe(5);
  });

  it("reads a frame and keeps every numeric metric of a component", () => {
    const message = parseServerMessage(text({ type: "frame", seq: 9, signals: signals(9) }));
    expect(message?.type).toBe("frame");
    if (message?.type !== "frame") return;
    expect(message.frame.seq).toBe(9);
    expect(message.frame.signals.components[1]?.metrics).toEqual({
      connections_in_use: 50,
      max_connections: 200,
      utilisation_ratio: 0.3,
    });
  });

  it("reads the entry of an ack and of a timeline update under `action`", () => {
    const ack = parseServerMessage(text({ type: "ack", id: "c-1", action: timelineEntry() }));
    expect(ack).toMatchObject({ type: "ack", id: "c-1", entry: { id: 11, action: "scale_api" } });
    const update = parseServerMessage(
      text({ type: "timeline", action: timelineEntry({ applied_game_time_s: 3 }) }),
    );
    expect(update).toMatchObject({ type: "timeline", entry: { applied_game_time_s: 3 } });
  });

  it("keys an entry by the server's action_id and keeps the client's id beside it", () => {
    const bob = parseServerMessage(
      text({ type: "timeline", action: timelineEntry({ id: "1", action_id: 41, player: "bob" }) }),
    );
    expect(bob).toMatchObject({ entry: { id: 41, client_id: "1", player: "bob" } });
    const plain = parseServerMessage(text({ type: "timeline", action: timelineEntry({ id: 12 }) }));
    expect(plain).toMatchObject({ entry: { id: 12, client_id: null } });
  });

  it("reads errors with their field and id", () => {
    const message = parseServerMessage(
      text({ type: "error", error: "replicas: at most 200", field: "replicas", id: "c-2" }),
    );
    expect(message).toEqual({
      type: "error",
      error: "replicas: at most 200",
      field: "replicas",
      id: "c-2",
    });
  });

  it("gives null for what is not JSON, not an object or of no known type", () => {
    expect(parseServerMessage("not json")).toBeNull();
    expect(parseServerMessage("[1,2]")).toBeNull();
    expect(parseServerMessage(text({ type: "surprise" }))).toBeNull();
    expect(parseServerMessage(text({ type: "frame", seq: 1 }))).toBeNull();
  });

  it("keeps a hostile name as plain text", () => {
    const message = parseServerMessage(
      text({ type: "timeline", action: timelineEntry({ player: "<img src=x onerror=alert(1)>" }) }),
    );
    expect(message?.type === "timeline" && message.entry.player).toBe(
      "<img src=x onerror=alert(1)>",
    );
  });
});

describe("parseLeaderboard", () => {
  it("ranks teams by score whatever the row's shape", () => {
    const board = parseLeaderboard({
      game: { id: 3, name: "Thursday" },
      state: "running",
      game_time_s: 120,
      teams: [
        { team: { id: 1, name: "Blue" }, score: 700, availability_ratio: 0.99, slo_met: false },
        { team: "Red", score: 900, latency_p99_ms: 200, slo_met: true },
      ],
    });
    expect(board?.teams.map((row) => [row.team, row.score])).toEqual([
      ["Red", 900],
      ["Blue", 700],
    ]);
    expect(board?.state).toBe("running");
  });

  it("reads the server's rows: id and name beside the score", () => {
    const board = parseLeaderboard({
      state: "running",
      teams: [{ id: 4, name: "Blue", score: 10, rank: 1, slo_met: null, parts: [] }],
    });
    expect(board?.teams[0]).toMatchObject({ team: "Blue", team_id: 4, score: 10, slo_met: null });
  });

  it("reads the websocket frame, flat or nested", () => {
    const flat = parseLeaderboardMessage(text({ type: "leaderboard", game: game, teams: [] }));
    expect(flat?.game?.name).toBe("Thursday game day");
    expect(flat?.state).toBe("running");
    const nested = parseLeaderboardMessage(
      text({ type: "leaderboard", leaderboard: { game_time_s: 5, teams: [] } }),
    );
    expect(nested?.game_time_s).toBe(5);
  });
});
