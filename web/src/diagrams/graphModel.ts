// What the diagram draws, as pure functions (unit-tested): the graph of the API with large pod sets folded.
//
// A namespace like bench/diagram.py's `big` has 1,000 Pods under 40 ReplicaSets. Drawn one by one they form a
// 50,000-pixel column that no layered layout (dagre, ELK) computes in under 5 s on this machine. Pods of one owner
// are therefore drawn as one "N Pods" node when there are more than FOLD_THRESHOLD of them; a click unfolds it.
// Every object stays listed and searchable beside the drawing.
import type { DiagramEdge, DiagramGraph, DiagramNode } from '../api/types'

export const FOLD_THRESHOLD = 5

export interface ViewNode {
  id: string
  kind: string
  label: string
  /** The API node (absent for a folded pod set). */
  node?: DiagramNode
  /** The pods a folded node stands for. */
  members?: DiagramNode[]
  ownerId?: string
}

export interface ViewEdge {
  id: string
  source: string
  target: string
  kind: string
}

export interface ViewGraph {
  nodes: ViewNode[]
  edges: ViewEdge[]
}

export function foldId(ownerId: string): string {
  return `pods-of:${ownerId}`
}

/** Owner id of each Pod that has one (the source of an `owns` edge to it). */
export function podOwners(graph: DiagramGraph): Map<string, string> {
  const kinds = new Map(graph.nodes.map((n) => [n.id, n.kind]))
  const owners = new Map<string, string>()
  for (const edge of graph.edges) {
    if (edge.kind === 'owns' && kinds.get(edge.target) === 'Pod') owners.set(edge.target, edge.source)
  }
  return owners
}

export function foldGraph(graph: DiagramGraph, unfolded: ReadonlySet<string>, threshold = FOLD_THRESHOLD): ViewGraph {
  const owners = podOwners(graph)
  const sets = new Map<string, DiagramNode[]>()
  for (const node of graph.nodes) {
    const owner = owners.get(node.id)
    if (node.kind === 'Pod' && owner) sets.set(owner, [...(sets.get(owner) ?? []), node])
  }
  const alias = new Map<string, string>()
  const nodes: ViewNode[] = []
  const folded = new Set<string>()
  for (const [owner, pods] of sets) {
    if (pods.length > threshold && !unfolded.has(foldId(owner))) {
      folded.add(owner)
      for (const pod of pods) alias.set(pod.id, foldId(owner))
    }
  }
  for (const node of graph.nodes) {
    if (alias.has(node.id)) continue
    nodes.push({ id: node.id, kind: node.kind, label: node.name, node })
  }
  for (const owner of folded) {
    const members = sets.get(owner) ?? []
    nodes.push({ id: foldId(owner), kind: 'PodSet', label: `${members.length} Pods`, members, ownerId: owner })
  }
  const edges = new Map<string, ViewEdge>()
  for (const edge of graph.edges) {
    const source = alias.get(edge.source) ?? edge.source
    const target = alias.get(edge.target) ?? edge.target
    const id = `${edge.kind}:${source}->${target}`
    if (!edges.has(id)) edges.set(id, { id, source, target, kind: edge.kind })
  }
  return { nodes, edges: [...edges.values()] }
}

/** The view node that shows API node `id` (itself, or the folded set that holds it). */
export function viewNodeOf(view: ViewGraph, id: string): ViewNode | undefined {
  return view.nodes.find((n) => n.id === id) ?? view.nodes.find((n) => n.members?.some((m) => m.id === id))
}

export interface KindStyle {
  color: string
  shape: string
  label: string
}

// Colours by family (workloads blue, pods green, network orange, config purple, storage brown, RBAC red/pink);
// shapes tell kinds of one family apart, so the legend reads without colour too.
export const KIND_STYLES: Record<string, KindStyle> = {
  Deployment: { color: '#1f5fa8', shape: 'round-rectangle', label: 'Deployment' },
  StatefulSet: { color: '#1f5fa8', shape: 'barrel', label: 'StatefulSet' },
  DaemonSet: { color: '#1f5fa8', shape: 'hexagon', label: 'DaemonSet' },
  ReplicaSet: { color: '#5b8fd1', shape: 'round-rectangle', label: 'ReplicaSet' },
  Job: { color: '#5b8fd1', shape: 'cut-rectangle', label: 'Job' },
  CronJob: { color: '#1f5fa8', shape: 'cut-rectangle', label: 'CronJob' },
  Pod: { color: '#2e8b57', shape: 'ellipse', label: 'Pod' },
  PodSet: { color: '#2e8b57', shape: 'round-octagon', label: 'Pods (folded)' },
  Service: { color: '#d97706', shape: 'diamond', label: 'Service' },
  EndpointSlice: { color: '#f0a64b', shape: 'tag', label: 'EndpointSlice' },
  Ingress: { color: '#b45309', shape: 'triangle', label: 'Ingress' },
  NetworkPolicy: { color: '#92400e', shape: 'octagon', label: 'NetworkPolicy' },
  HorizontalPodAutoscaler: { color: '#0e7490', shape: 'vee', label: 'HPA' },
  ConfigMap: { color: '#7c3aed', shape: 'rectangle', label: 'ConfigMap' },
  Secret: { color: '#5b21b6', shape: 'star', label: 'Secret' },
  PersistentVolumeClaim: { color: '#8b5a2b', shape: 'barrel', label: 'PVC' },
  ServiceAccount: { color: '#be185d', shape: 'ellipse', label: 'ServiceAccount' },
  Role: { color: '#b91c1c', shape: 'round-rectangle', label: 'Role' },
  ClusterRole: { color: '#7f1d1d', shape: 'round-rectangle', label: 'ClusterRole' },
  RoleBinding: { color: '#ef4444', shape: 'rhomboid', label: 'RoleBinding' },
  ClusterRoleBinding: { color: '#991b1b', shape: 'rhomboid', label: 'ClusterRoleBinding' },
  Permission: { color: '#f59e0b', shape: 'round-tag', label: 'Permission' },
  'Subject:User': { color: '#db2777', shape: 'ellipse', label: 'User' },
  'Subject:Group': { color: '#db2777', shape: 'pentagon', label: 'Group' },
  'Subject:ServiceAccount': { color: '#be185d', shape: 'ellipse', label: 'ServiceAccount (subject)' },
}

export const FALLBACK_STYLE: KindStyle = { color: '#6b7280', shape: 'ellipse', label: 'Other' }

export function styleOf(kind: string): KindStyle {
  return KIND_STYLES[kind] ?? FALLBACK_STYLE
}

export const EDGE_COLORS: Record<string, string> = {
  owns: '#64748b',
  selects: '#d97706',
  routes: '#b45309',
  scales: '#0e7490',
  policy: '#92400e',
  mounts: '#7c3aed',
  grants: '#f59e0b',
  refs: '#b91c1c',
  bound: '#db2777',
}

/** Kinds without a manifest of their own (api.md: synthesized nodes). */
export const SYNTHESIZED = new Set(['Permission', 'Subject:User', 'Subject:Group'])
export const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'])

export type { DiagramEdge }
