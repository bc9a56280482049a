/** Messages shaped as in docs/protocol.md, for the tests of the logic that reads them. */

export function signals(game_time_s: number, over: Record<string, unknown> = {}) {
  return {
    tick: Math.round(game_time_s * 10),
    game_time_s,
    duration_s: 900,
    users: {
      offered_rps: 1000,
      success_rps: 990,
      error_ratio: 0.01,
      latency_p50_ms: 20,
      latency_p99_ms: 240,
    },
    components: [
      {
        id: "api",
        kind: "service",
        label: "API servers",
        metrics: {
          utilisation_ratio: 0.5,
          queue: 0,
          errors_rps: 0,
          replicas: 10,
          ready_replicas: 10,
        },
      },
      {
        id: "db",
        kind: "database",
        label: "Database",
        metrics: { connections_in_use: 50, max_connections: 200, utilisation_ratio: 0.3 },
      },
    ],
    alerts: [],
    logs: [],
    events: [],
    score: {
      score: 812.5,
      availability_ratio: 0.9991,
      latency_p99_ms: 240,
      error_budget_left_ratio: 0.3,
      time_in_slo_ratio: 0.8,
      cost: 120,
      slo_met: false,
      parts: [{ name: "error budget left", points: 300 }],
    },
    ...over,
  };
}

export const game = {
  id: 3,
  name: "Thursday game day",
  scenario: "celebrity-post",
  seed: 1,
  state: "running",
  speed: 1,
  game_time_s: 120,
  duration_s: 900,
  teams: [{ id: 1, name: "Blue", join_code: "BLUE-1", players: 2 }],
};

export function welcome(over: Record<string, unknown> = {}) {
  return {
    type: "welcome",
    player: { id: 1, name: "alice" },
    team: { id: 1, name: "Blue" },
    game,
    briefing: "# Celebrity post\nKeep it up.",
    catalog: [
      {
        action: "scale_api",
        label: "Scale API replicas",
        description: "Set the number of API replicas.",
        delay_s: 45,
        cost: "4 points per replica-minute",
        params: { replicas: { type: "int", min: 1, max: 200, default: 20, unit: "" } },
      },
    ],
    history: [
      { seq: 1, signals: signals(1) },
      { seq: 2, signals: signals(2) },
    ],
    timeline: [],
    ...over,
  };
}

export function timelineEntry(over: Record<string, unknown> = {}) {
  return {
    id: 11,
    player: "alice",
    action: "scale_api",
    params: { replicas: 40 },
    received_game_time_s: 2.5,
    applied_game_time_s: null,
    effective_game_time_s: null,
    ...over,
  };
}
