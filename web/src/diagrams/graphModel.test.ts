import { describe, expect, it } from 'vitest'
import type { DiagramGraph, DiagramNode } from '../api/types'
import { foldGraph, foldId, viewNodeOf } from './graphModel'

const node = (kind: string, name: string): DiagramNode => ({
  id: `${kind}/big/${name}`,
  kind,
  name,
  namespace: 'big',
  group: null,
  status: null,
  metadata: {},
})

function namespace(pods: number): DiagramGraph {
  const deployment = node('Deployment', 'app')
  const replicaSet = node('ReplicaSet', 'app-cur')
  const config = node('ConfigMap', 'cm')
  const podNodes = Array.from({ length: pods }, (_, i) => node('Pod', `app-cur-${i}`))
  return {
    nodes: [deployment, replicaSet, config, ...podNodes],
    edges: [
      { id: 'o1', kind: 'owns', source: deployment.id, target: replicaSet.id },
      { id: 'm1', kind: 'mounts', source: deployment.id, target: config.id },
      ...podNodes.map((p) => ({ id: `o-${p.id}`, kind: 'owns', source: replicaSet.id, target: p.id })),
    ],
    groups: [],
  }
}

describe('foldGraph', () => {
  it('draws a large pod set as one node, with one edge from its owner', () => {
    const view = foldGraph(namespace(50), new Set())
    expect(view.nodes).toHaveLength(4)
    const folded = view.nodes.find((n) => n.kind === 'PodSet')
    expect(folded).toMatchObject({ id: foldId('ReplicaSet/big/app-cur'), label: '50 Pods' })
    expect(folded?.members).toHaveLength(50)
    expect(view.edges.filter((e) => e.target === folded?.id)).toHaveLength(1)
  })

  it('keeps small sets and unfolded sets as separate pods', () => {
    expect(foldGraph(namespace(5), new Set()).nodes).toHaveLength(8)
    const unfolded = foldGraph(namespace(50), new Set([foldId('ReplicaSet/big/app-cur')]))
    expect(unfolded.nodes).toHaveLength(53)
    expect(unfolded.edges).toHaveLength(52)
  })

  it('finds the folded node that holds a pod', () => {
    const view = foldGraph(namespace(50), new Set())
    expect(viewNodeOf(view, 'Pod/big/app-cur-7')?.kind).toBe('PodSet')
    expect(viewNodeOf(view, 'Deployment/big/app')?.kind).toBe('Deployment')
  })
})
