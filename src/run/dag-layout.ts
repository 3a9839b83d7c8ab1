/**
 * Places a run's steps and their dependencies for drawing, with dagre (a layered layout: dependencies flow top to
 * bottom, crossings minimised). Pure: the same steps give the same picture.
 */
import { graphlib, layout } from '@dagrejs/dagre';

export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 58;

export type DagStep = { name: string; dependencies: readonly string[] };

export type PlacedNode = { name: string; x: number; y: number; width: number; height: number };
export type PlacedEdge = { from: string; to: string; points: { x: number; y: number }[] };
export type DagLayout = { nodes: PlacedNode[]; edges: PlacedEdge[]; width: number; height: number };

/** Node positions are their top-left corners; a dependency on a step that is not drawn is left out. */
export function layoutDag(steps: readonly DagStep[]): DagLayout {
  const graph = new graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 44, marginx: 12, marginy: 12 });
  graph.setDefaultEdgeLabel(() => ({}));
  const names = new Set(steps.map(step => step.name));
  for (const step of steps) {
    graph.setNode(step.name, { width: NODE_WIDTH, height: NODE_HEIGHT });
  }
  for (const step of steps) {
    for (const dependency of new Set(step.dependencies)) {
      if (names.has(dependency) && dependency !== step.name) {
        graph.setEdge(dependency, step.name);
      }
    }
  }
  layout(graph);

  const nodes = steps.map(step => {
    const placed = graph.node(step.name);
    return {
      name: step.name,
      x: (placed.x ?? 0) - NODE_WIDTH / 2,
      y: (placed.y ?? 0) - NODE_HEIGHT / 2,
      width: NODE_WIDTH,
      height: NODE_HEIGHT
    };
  });
  const edges = graph.edges().map(edge => ({
    from: edge.v,
    to: edge.w,
    points: (graph.edge(edge).points ?? []).map((point: { x: number; y: number }) => ({ x: point.x, y: point.y }))
  }));
  const label = graph.graph();
  return { nodes, edges, width: label.width ?? 0, height: label.height ?? 0 };
}
