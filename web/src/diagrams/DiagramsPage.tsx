// Cluster diagrams from the graph database: namespace and workload views, RBAC (roles list, Role and ClusterRole
// views). Beside the drawing: a legend, a searchable list of every object, and the selected object's manifest.
import { useQuery } from '@tanstack/react-query'
import { lazy, Suspense, useEffect, useMemo, useState } from 'react'
import { Link, Navigate, Route, Routes, useNavigate, useParams } from 'react-router'
import { api } from '../api/client'
import type { DiagramGraph, DiagramNode } from '../api/types'
import { YamlBlock } from '../components/CodeBlock'
import { ErrorNote } from '../components/ErrorNote'
import {
  foldGraph,
  foldId,
  KIND_STYLES,
  styleOf,
  SYNTHESIZED,
  viewNodeOf,
  WORKLOAD_KINDS,
  type ViewGraph,
  type ViewNode,
} from './graphModel'

// The drawing library loads while the first graph is fetched, not after it arrived.
const loadGraphView = () => import('./GraphView')
const GraphView = lazy(loadGraphView)
void loadGraphView()

export default function DiagramsPage() {
  return (
    <section className="stack" aria-labelledby="diagrams-title">
      <h1 id="diagrams-title">Cluster diagrams</h1>
      <nav className="tabs" aria-label="Diagram kinds">
        <Link to="/diagrams/namespace" className="button secondary">
          Namespaces
        </Link>
        <Link to="/diagrams/rbac" className="button secondary">
          RBAC
        </Link>
      </nav>
      <Routes>
        <Route index element={<Navigate to="namespace" replace />} />
        <Route path="namespace" element={<NamespaceChooser />} />
        <Route path="namespace/:namespace" element={<NamespaceDiagram />} />
        <Route path="workload/:namespace/:kind/:name" element={<WorkloadDiagram />} />
        <Route path="rbac" element={<RolesList />} />
        <Route path="role/:namespace/:name" element={<RoleDiagram />} />
        <Route path="clusterrole/:name" element={<ClusterRoleDiagram />} />
      </Routes>
    </section>
  )
}

function useNamespaces() {
  return useQuery({ queryKey: ['diagram-namespaces'], queryFn: ({ signal }) => api.get('/api/diagram/namespaces', { signal }) })
}

function NamespaceChooser() {
  const namespaces = useNamespaces()
  if (namespaces.error) return <ErrorNote error={namespaces.error} />
  if (!namespaces.data) return <p className="muted">Loading namespaces…</p>
  return (
    <div className="panel">
      <h2>Choose a namespace</h2>
      <ul className="chips" aria-label="Namespaces">
        {namespaces.data.namespaces.map((ns) => (
          <li key={ns} style={{ listStyle: 'none' }}>
            <Link className="chip" to={`/diagrams/namespace/${encodeURIComponent(ns)}`}>
              {ns}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  )
}

function NamespaceDiagram() {
  const { namespace = '' } = useParams()
  const navigate = useNavigate()
  const namespaces = useNamespaces()
  const graph = useQuery({
    queryKey: ['diagram', 'namespace', namespace],
    queryFn: ({ signal }) => api.get('/api/diagram/namespace/{namespace}', { path: { namespace }, signal }),
  })
  return (
    <>
      <label>
        Namespace
        <select aria-label="Namespace" value={namespace} onChange={(e) => navigate(`/diagrams/namespace/${encodeURIComponent(e.target.value)}`)}>
          {(namespaces.data?.namespaces ?? [namespace]).map((ns) => (
            <option key={ns}>{ns}</option>
          ))}
        </select>
      </label>
      <Diagram title={`Namespace ${namespace}`} query={graph} />
    </>
  )
}

function WorkloadDiagram() {
  const { namespace = '', kind = '', name = '' } = useParams()
  const graph = useQuery({
    queryKey: ['diagram', 'workload', namespace, kind, name],
    queryFn: ({ signal }) => api.get('/api/diagram/workload/{namespace}/{kind}/{name}', { path: { namespace, kind, name }, signal }),
  })
  return (
    <>
      <p>
        <Link to={`/diagrams/namespace/${encodeURIComponent(namespace)}`}>← Namespace {namespace}</Link>
      </p>
      <Diagram title={`${kind} ${name} in ${namespace}`} query={graph} />
    </>
  )
}

function RoleDiagram() {
  const { namespace = '', name = '' } = useParams()
  const graph = useQuery({
    queryKey: ['diagram', 'role', namespace, name],
    queryFn: ({ signal }) => api.get('/api/diagram/role/{namespace}/{name}', { path: { namespace, name }, signal }),
  })
  return (
    <>
      <p>
        <Link to="/diagrams/rbac">← Roles</Link>
      </p>
      <Diagram title={`Role ${name} in ${namespace}`} query={graph} />
    </>
  )
}

function ClusterRoleDiagram() {
  const { name = '' } = useParams()
  const graph = useQuery({
    queryKey: ['diagram', 'clusterrole', name],
    queryFn: ({ signal }) => api.get('/api/diagram/clusterrole/{name}', { path: { name }, signal }),
  })
  return (
    <>
      <p>
        <Link to="/diagrams/rbac">← Roles</Link>
      </p>
      <Diagram title={`ClusterRole ${name}`} query={graph} />
    </>
  )
}

function RolesList() {
  const [system, setSystem] = useState(false)
  const [filter, setFilter] = useState('')
  const roles = useQuery({
    queryKey: ['diagram-roles', system],
    queryFn: ({ signal }) => api.get('/api/diagram/roles', { query: { include_system: system }, signal }),
  })
  const needle = filter.toLowerCase()
  return (
    <div className="panel stack">
      <div className="row">
        <label>
          Search
          <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="role name" />
        </label>
        <label className="inline">
          <input type="checkbox" checked={system} onChange={(e) => setSystem(e.target.checked)} /> Include <code>system:</code> ClusterRoles
        </label>
      </div>
      {roles.error && <ErrorNote error={roles.error} />}
      {roles.data && (
        <div className="grid2">
          <div>
            <h2>ClusterRoles</h2>
            <ul data-testid="clusterrole-list">
              {roles.data.cluster_roles
                .filter((r) => r.name.toLowerCase().includes(needle))
                .map((r) => (
                  <li key={r.name}>
                    <Link to={`/diagrams/clusterrole/${encodeURIComponent(r.name)}`}>{r.name}</Link>
                  </li>
                ))}
            </ul>
          </div>
          <div>
            <h2>Roles</h2>
            <ul data-testid="role-list">
              {roles.data.roles
                .filter((r) => `${r.namespace}/${r.name}`.toLowerCase().includes(needle))
                .map((r) => (
                  <li key={`${r.namespace}/${r.name}`}>
                    <Link to={`/diagrams/role/${encodeURIComponent(r.namespace)}/${encodeURIComponent(r.name)}`}>
                      {r.name}
                    </Link>{' '}
                    <span className="muted small">in {r.namespace}</span>
                  </li>
                ))}
            </ul>
          </div>
        </div>
      )}
    </div>
  )
}

function Diagram({ title, query }: { title: string; query: { data?: DiagramGraph; error: unknown; isPending: boolean } }) {
  const [unfolded, setUnfolded] = useState<ReadonlySet<string>>(new Set())
  const [selected, setSelected] = useState<string | null>(null)
  const graph = query.data
  useEffect(() => {
    setUnfolded(new Set())
    setSelected(null)
  }, [graph])
  const view = useMemo<ViewGraph | null>(() => (graph ? foldGraph(graph, unfolded) : null), [graph, unfolded])
  if (query.error) return <ErrorNote error={query.error} />
  if (!graph || !view) return <p className="muted">Loading the diagram…</p>
  if (graph.nodes.length === 0) return <p className="panel muted">Nothing to draw: this namespace has no objects in the graph.</p>

  const unfold = (id: string) => setUnfolded((previous) => new Set([...previous, id]))
  // Selecting an object hidden in a folded set unfolds that set first.
  const select = (id: string | null) => {
    if (id && !view.nodes.some((n) => n.id === id)) {
      const holder = viewNodeOf(view, id)
      if (holder?.ownerId) unfold(foldId(holder.ownerId))
    }
    setSelected(id)
  }
  const selectedView = selected ? (view.nodes.find((n) => n.id === selected) ?? null) : null
  const apiNode = selected ? (graph.nodes.find((n) => n.id === selected) ?? null) : null
  return (
    <div className="diagram-layout">
      <div className="stack">
        <p className="small muted" data-testid="diagram-summary">
          {title}: {graph.nodes.length.toLocaleString()} objects, {graph.edges.length.toLocaleString()} relations
          {view.nodes.length < graph.nodes.length ? ` (pods of large sets folded: ${view.nodes.length} drawn)` : ''}.
        </p>
        <Suspense fallback={<p className="muted">Loading the graph library…</p>}>
          <GraphView view={view} selected={selected} onSelect={select} onUnfold={unfold} label={`Diagram of ${title}`} />
        </Suspense>
        <Legend view={view} />
      </div>
      <aside className="stack" aria-label="Objects">
        <ObjectPanel node={apiNode} viewNode={selectedView} onUnfold={unfold} onSelect={select} />
        <ObjectList nodes={graph.nodes} selected={selected} onSelect={select} />
      </aside>
    </div>
  )
}

function Legend({ view }: { view: ViewGraph }) {
  const kinds = [...new Set(view.nodes.map((n) => n.kind))].sort()
  return (
    <div className="legend" aria-label="Legend" data-testid="legend">
      {kinds.map((kind) => {
        const style = styleOf(kind)
        return (
          <span key={kind} className="legend-item">
            <span
              className="legend-swatch"
              style={{ background: style.color, borderRadius: style.shape === 'ellipse' ? '50%' : style.shape.includes('round') ? '4px' : 0 }}
              aria-hidden="true"
            />
            {KIND_STYLES[kind]?.label ?? kind} <span className="muted">({style.shape.replace('-', ' ')})</span>
          </span>
        )
      })}
    </div>
  )
}

function ObjectList({ nodes, selected, onSelect }: { nodes: DiagramNode[]; selected: string | null; onSelect: (id: string) => void }) {
  const [filter, setFilter] = useState('')
  const needle = filter.toLowerCase()
  const matches = nodes.filter((n) => !needle || `${n.kind} ${n.name}`.toLowerCase().includes(needle))
  const shown = matches.slice(0, 300)
  return (
    <section className="panel stack" aria-labelledby="objects-title">
      <h2 id="objects-title">Objects</h2>
      <label>
        Find an object
        <input value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="kind or name" />
      </label>
      <div className="node-list" data-testid="object-list">
        {shown.map((n) => (
          <button key={n.id} type="button" aria-current={selected === n.id} onClick={() => onSelect(n.id)}>
            <span className="legend-swatch" style={{ background: styleOf(n.kind).color }} aria-hidden="true" /> {n.kind}{' '}
            <strong>{n.name}</strong>
          </button>
        ))}
      </div>
      {matches.length > shown.length && <p className="small muted">{matches.length - shown.length} more; refine the search.</p>}
    </section>
  )
}

function ObjectPanel({
  node,
  viewNode,
  onUnfold,
  onSelect,
}: {
  node: DiagramNode | null
  viewNode: ViewNode | null
  onUnfold: (id: string) => void
  onSelect: (id: string) => void
}) {
  if (viewNode?.kind === 'PodSet' && viewNode.members) {
    return (
      <section className="panel stack" aria-labelledby="object-title" data-testid="object-panel">
        <h2 id="object-title">{viewNode.label}</h2>
        <button type="button" onClick={() => onUnfold(viewNode.id)}>
          Unfold these pods
        </button>
        <ul className="small">
          {viewNode.members.slice(0, 100).map((m) => (
            <li key={m.id}>
              <button type="button" className="linklike" onClick={() => onSelect(m.id)}>
                {m.name}
              </button>{' '}
              <span className="muted">{m.status ?? ''}</span>
            </li>
          ))}
        </ul>
      </section>
    )
  }
  if (!node) return <p className="panel muted">Select an object in the drawing or the list to see its details and manifest.</p>
  return (
    <section className="panel stack" aria-labelledby="object-title" data-testid="object-panel">
      <h2 id="object-title">
        {node.kind} {node.name}
      </h2>
      <dl className="facts">
        <dt>Namespace</dt>
        <dd>{node.namespace || 'cluster-scoped'}</dd>
        <dt>Status</dt>
        <dd>{node.status ?? '—'}</dd>
        {node.group && (
          <>
            <dt>App</dt>
            <dd>{node.group}</dd>
          </>
        )}
      </dl>
      {WORKLOAD_KINDS.has(node.kind) && (
        <Link to={`/diagrams/workload/${encodeURIComponent(node.namespace)}/${node.kind}/${encodeURIComponent(node.name)}`}>
          Open the workload view
        </Link>
      )}
      {node.kind === 'Role' && (
        <Link to={`/diagrams/role/${encodeURIComponent(node.namespace)}/${encodeURIComponent(node.name)}`}>Open the Role view</Link>
      )}
      {node.kind === 'ClusterRole' && <Link to={`/diagrams/clusterrole/${encodeURIComponent(node.name)}`}>Open the ClusterRole view</Link>}
      <ManifestOf node={node} />
    </section>
  )
}

function ManifestOf({ node }: { node: DiagramNode }) {
  const readable = !SYNTHESIZED.has(node.kind) && node.kind !== 'Secret'
  const manifest = useQuery({
    queryKey: ['manifest', node.id],
    queryFn: ({ signal }) =>
      api.get('/api/diagram/manifest/{namespace}/{kind}/{name}', {
        path: { namespace: node.namespace || '_', kind: node.kind, name: node.name },
        signal,
      }),
    enabled: readable,
  })
  if (node.kind === 'Permission') {
    const meta = node.metadata as { verbs?: string[]; resourceNames?: string[] }
    return (
      <p>
        Verbs: <code>{(meta.verbs ?? []).join(', ') || '—'}</code>
        {meta.resourceNames && meta.resourceNames.length > 0 && (
          <>
            {' '}
            on <code>{meta.resourceNames.join(', ')}</code>
          </>
        )}
      </p>
    )
  }
  if (node.kind === 'Secret') return <p className="muted">Secret manifests are not readable by design.</p>
  if (!readable) return <p className="muted">A synthesized node: it has no manifest of its own.</p>
  if (manifest.error) return <ErrorNote error={manifest.error} prefix="Manifest" />
  if (!manifest.data) return <p className="muted">Loading the manifest…</p>
  return (
    <div data-testid="object-manifest">
      <h3>Manifest</h3>
      <YamlBlock source={manifest.data.manifest} label={`Manifest of ${node.kind} ${node.name}`} />
    </div>
  )
}
