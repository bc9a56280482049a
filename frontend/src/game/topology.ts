/**
 * Where each component sits in the request path, for the topology picture.
 *
 * Limitation: frames carry components but not the edges between them, so the picture guesses
 * them from each component's kind (clients -> edge -> gateway -> services -> data stores).
 * A scenario with two services that call each other is drawn as two parallel services.
 */
import type { ComponentSignals } from "../protocol/types";

export interface TopologyNode {
  id: string;
  label: string;
  kind: string;
  layer: number;
  /** The drawing column: the layer's rank among the layers in use. */
  column: number;
  row: number;
  utilisation_ratio: number | undefined;
}

export interface TopologyEdge {
  source: string;
  target: string;
}

const LAYER_BY_KIND: [RegExp, number][] = [
  [/client|user/, 0],
  [/balancer|ingress|edge|cdn|^lb$/, 1],
  [/gateway|proxy/, 2],
  [/service|api|app|worker/, 3],
  [/cache|database|^db|queue|store|external|dependency/, 4],
];

/** Off the request path (e.g. the network), drawn apart without edges. */
const ASIDE_LAYER = 5;

export function layerOf(kind: string): number {
  const lower = kind.toLowerCase();
  for (const [pattern, layer] of LAYER_BY_KIND) if (pattern.test(lower)) return layer;
  return ASIDE_LAYER;
}

export const USERS_NODE_ID = "__users";

export function buildTopology(
  components: ComponentSignals[],
  users_error_ratio: number | undefined,
): { nodes: TopologyNode[]; edges: TopologyEdge[] } {
  const rows = new Map<number, number>();
  const place = (layer: number): number => {
    const row = rows.get(layer) ?? 0;
    rows.set(layer, row + 1);
    return row;
  };
  const nodes: TopologyNode[] = [];
  if (!components.some((component) => layerOf(component.kind) === 0)) {
    nodes.push({
      id: USERS_NODE_ID,
      label: "Users",
      kind: "clients",
      layer: 0,
      column: 0,
      row: place(0),
      utilisation_ratio: users_error_ratio,
    });
  }
  for (const component of components) {
    const layer = layerOf(component.kind);
    nodes.push({
      id: component.id,
      label: component.label,
      kind: component.kind,
      layer,
      column: layer,
      row: place(layer),
      utilisation_ratio: component.metrics.utilisation_ratio,
    });
  }
  return { nodes: compactLayers(nodes), edges: connectLayers(nodes) };
}

/** Renumbers the layers in use as 0, 1, 2 … so no empty column is drawn. */
function compactLayers(nodes: TopologyNode[]): TopologyNode[] {
  const used = [...new Set(nodes.map((node) => node.layer))].sort((a, b) => a - b);
  return nodes.map((node) => ({ ...node, column: used.indexOf(node.layer) }));
}

/** Every node of a path layer calls every node of the next layer that has any. */
function connectLayers(nodes: TopologyNode[]): TopologyEdge[] {
  const layers = [...new Set(nodes.map((node) => node.layer))]
    .filter((layer) => layer < ASIDE_LAYER)
    .sort((a, b) => a - b);
  const edges: TopologyEdge[] = [];
  for (let index = 0; index + 1 < layers.length; index += 1) {
    const from = nodes.filter((node) => node.layer === layers[index]);
    const to = nodes.filter((node) => node.layer === layers[index + 1]);
    for (const source of from) {
      for (const target of to) edges.push({ source: source.id, target: target.id });
    }
  }
  return edges;
}
