import { describe, expect, it } from "vitest";
import { groupMetrics } from "./metricGroups";

describe("groupMetrics", () => {
  it("splits a component's metrics by the unit in their names", () => {
    const groups = groupMetrics([
      "connections_in_use",
      "max_connections",
      "utilisation_ratio",
      "query_ms",
      "refused_rps",
    ]);
    expect(groups.map((group) => [group.unit, group.keys])).toEqual([
      ["ratio", ["utilisation_ratio"]],
      ["rps", ["refused_rps"]],
      ["ms", ["query_ms"]],
      ["count", ["connections_in_use", "max_connections"]],
    ]);
  });
});
