import { describe, expect, it } from "vitest";
import type { ComponentSignals } from "../protocol/types";
import { buildTopology, USERS_NODE_ID } from "./topology";

const component = (id: string, kind: string): ComponentSignals => ({
  id,
  kind,
  label: id,
  metrics: { utilisation_ratio: 0.5 },
});

describe("topology", () => {
  it("draws users -> edge -> API -> cache and database", () => {
    const { edges } = buildTopology(
      [
        component("lb", "load_balancer"),
        component("api", "service"),
        component("cache", "cache"),
        component("db", "database"),
      ],
      0,
    );
    expect(edges.map((edge) => `${edge.source}->${edge.target}`)).toEqual([
      `${USERS_NODE_ID}->lb`,
      "lb->api",
      "api->cache",
      "api->db",
    ]);
  });

  it("keeps components off the request path apart", () => {
    const { nodes, edges } = buildTopology(
      [component("api", "service"), component("net", "network")],
      0,
    );
    expect(nodes.find((node) => node.id === "net")?.layer).toBe(5);
    expect(edges.some((edge) => edge.target === "net" || edge.source === "net")).toBe(false);
  });
});
