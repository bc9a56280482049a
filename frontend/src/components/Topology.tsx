import { Background, MarkerType, Position, ReactFlow, type Edge, type Node } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { memo, useMemo } from "react";
import { formatPercent } from "../game/format";
import { buildTopology, USERS_NODE_ID } from "../game/topology";
import type { ComponentSignals } from "../protocol/types";
import { utilisationColor } from "./palette";

interface TopologyProps {
  components: ComponentSignals[];
  error_ratio: number | undefined;
}

const COLUMN_PX = 150;
const ROW_PX = 64;
const EDGE_COLOR = "#7d8ea3";
/** Above this error ratio the users' node turns red. */
const CLIENT_ERRORS_BAD_RATIO = 0.01;

function toFlow(
  components: ComponentSignals[],
  error_ratio: number | undefined,
): { nodes: Node[]; edges: Edge[] } {
  const topology = buildTopology(components, error_ratio);
  const flowNodes: Node[] = topology.nodes.map((node) => {
    // The clients carry no utilisation: they show what users get, the error ratio.
    const isClients = node.id === USERS_NODE_ID || node.layer === 0;
    const ratio = isClients ? error_ratio : node.utilisation_ratio;
    const detail = isClients ? `errors ${formatPercent(ratio)}` : `util ${formatPercent(ratio, 0)}`;
    const failing = ratio !== undefined && ratio > CLIENT_ERRORS_BAD_RATIO;
    return {
      id: node.id,
      position: { x: node.column * COLUMN_PX, y: node.row * ROW_PX },
      data: { label: `${node.label}\n${detail}` },
      draggable: false,
      connectable: false,
      sourcePosition: Position.Right,
      targetPosition: Position.Left,
      className: "topology-node",
      style: {
        background: isClients ? (failing ? "#a3212f" : "#23405c") : utilisationColor(ratio),
      },
    };
  });
  const flowEdges: Edge[] = topology.edges.map((edge) => ({
    id: `${edge.source}->${edge.target}`,
    source: edge.source,
    target: edge.target,
    // Not animated: a moving dash repaints the graph all the time (most of the page's CPU).
    animated: false,
    markerEnd: { type: MarkerType.ArrowClosed, color: EDGE_COLOR },
  }));
  return { nodes: flowNodes, edges: flowEdges };
}

/**
 * The graph itself, redrawn only when its JSON changes: a new node array on every frame makes
 * React Flow measure and repaint the whole graph several times a second.
 */
const TopologyGraph = memo(function TopologyGraph({ flowJson }: { flowJson: string }) {
  const { nodes, edges } = useMemo(
    () => JSON.parse(flowJson) as { nodes: Node[]; edges: Edge[] },
    [flowJson],
  );
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      fitView
      fitViewOptions={{ padding: 0.1, maxZoom: 1.3 }}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      panOnDrag={false}
      zoomOnScroll={false}
      zoomOnPinch={false}
      zoomOnDoubleClick={false}
      preventScrolling={false}
      colorMode="dark"
    >
      <Background gap={24} size={1} color="#2a3340" />
    </ReactFlow>
  );
});

/** The team's system as a small graph, each component coloured by its utilisation. */
export function Topology({ components, error_ratio }: TopologyProps) {
  const flowJson = JSON.stringify(toFlow(components, error_ratio));
  return (
    <div className="topology" data-testid="topology">
      <TopologyGraph flowJson={flowJson} />
    </div>
  );
}
