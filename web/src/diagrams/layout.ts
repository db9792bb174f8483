// Layered layout (dagre, the "Sugiyama" method): owners left, what they own and use to the right.
import dagre from '@dagrejs/dagre'
import type { ViewGraph } from './graphModel'

export interface Position {
  x: number
  y: number
}

export function layeredLayout(view: ViewGraph): Map<string, Position> {
  const graph = new dagre.graphlib.Graph()
  graph.setGraph({ rankdir: 'LR', ranksep: 90, nodesep: 18, edgesep: 8, marginx: 20, marginy: 20 })
  graph.setDefaultEdgeLabel(() => ({}))
  for (const node of view.nodes) graph.setNode(node.id, { width: node.kind === 'PodSet' ? 56 : 40, height: 40 })
  for (const edge of view.edges) {
    if (edge.source !== edge.target) graph.setEdge(edge.source, edge.target)
  }
  dagre.layout(graph)
  const positions = new Map<string, Position>()
  for (const id of graph.nodes()) {
    const { x, y } = graph.node(id)
    positions.set(id, { x, y })
  }
  return positions
}
