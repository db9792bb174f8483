// One incident: what failed and why, its evidence (containers, events, stored and live logs, manifest), the
// solution (rules or AI, updated live), and the status actions a write user may take.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link, useParams } from 'react-router'
import { api } from '../api/client'
import type { PodFailure, PodStatus } from '../api/types'
import { useCan } from '../app/auth'
import { useConfig } from '../app/config'
import { useLiveMessages } from '../app/live'
import { Badge, StatusBadge } from '../components/Badge'
import { YamlBlock } from '../components/CodeBlock'
import { ErrorNote } from '../components/ErrorNote'
import { Markdown } from '../components/Markdown'
import { FullTime, Time, useNow } from '../components/Time'
import { InsightPanels } from './Insight'
import { LiveLogs } from './LiveLogs'

/** How long after a report an AI answer is still expected (LLM timeout 60 s plus retries). */
const AI_PENDING_SECONDS = 180

export default function IncidentDetail() {
  const id = Number(useParams().id)
  const client = useQueryClient()
  const key = ['incident', id] as const
  const incident = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get('/api/pods/failed/{pod_id}', { path: { pod_id: id }, signal }),
    enabled: Number.isInteger(id),
  })
  useLiveMessages((message) => {
    const data = message.data as { id?: number; ids?: number[] }
    if (data.id !== id && !data.ids?.includes(id)) return
    const current = client.getQueryData<PodFailure>(key)
    if (current && message.type === 'solution_updated') {
      client.setQueryData(key, { ...current, ...(message.data as Partial<PodFailure>) })
    } else if (current && message.type === 'pod_failure') {
      client.setQueryData(key, { ...current, ...(message.data as Partial<PodFailure>) })
    } else {
      void client.invalidateQueries({ queryKey: key })
    }
  })
  if (!Number.isInteger(id)) return <ErrorNote error={new Error('Not an incident id')} />
  if (incident.error) {
    return (
      <section>
        <p>
          <Link to="/incidents">← Incidents</Link>
        </p>
        <ErrorNote error={incident.error} />
      </section>
    )
  }
  if (!incident.data) return <p className="muted">Loading incident…</p>
  return <IncidentView record={incident.data} />
}

function IncidentView({ record }: { record: PodFailure }) {
  const canWrite = useCan('write')
  return (
    <article aria-labelledby="incident-title" className="stack">
      <p>
        <Link to="/incidents">← Incidents</Link>
      </p>
      <header className="panel">
        <div className="spread">
          <h1 id="incident-title">
            {record.pod_name} <span className="muted small">in {record.namespace}</span>
          </h1>
          <StatusBadge status={record.status} />
        </div>
        <p>
          <strong>{record.failure_reason}</strong>: <span className="wrap">{record.failure_message || '—'}</span>
        </p>
        {canWrite && <StatusActions record={record} />}
      </header>
      <div className="grid2">
        <section className="panel" aria-labelledby="facts-title">
          <h2 id="facts-title">Facts</h2>
          <dl className="facts">
            <dt>First seen</dt>
            <dd>
              <FullTime iso={record.first_seen} />
            </dd>
            <dt>Last seen</dt>
            <dd>
              <FullTime iso={record.last_seen} />
            </dd>
            <dt>Occurrences</dt>
            <dd>{record.occurrences}</dd>
            <dt>Pod created</dt>
            <dd>
              <Time iso={record.creation_timestamp} />
            </dd>
            <dt>Node</dt>
            <dd>{record.node_name ?? '—'}</dd>
            <dt>Phase</dt>
            <dd>{record.phase ?? '—'}</dd>
            <dt>Owner</dt>
            <dd>{record.owner_kind ? `${record.owner_kind} ${record.owner_name ?? ''}` : '—'}</dd>
            {record.resolved_at && (
              <>
                <dt>Resolved</dt>
                <dd>
                  <FullTime iso={record.resolved_at} />
                </dd>
              </>
            )}
            {record.ignored_at && (
              <>
                <dt>Ignored</dt>
                <dd>
                  <FullTime iso={record.ignored_at} />
                </dd>
              </>
            )}
            {record.resolution_note && (
              <>
                <dt>Note</dt>
                <dd>{record.resolution_note}</dd>
              </>
            )}
          </dl>
        </section>
        <Solution record={record} />
      </div>
      <InsightPanels record={record} />
      <section className="panel" aria-labelledby="containers-title">
        <h2 id="containers-title">Containers</h2>
        {record.container_statuses.length === 0 ? (
          <p className="muted">No container statuses were reported.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Container</th>
                <th scope="col">Image</th>
                <th scope="col">State</th>
                <th scope="col">Ready</th>
                <th scope="col">Restarts</th>
                <th scope="col">Exit code</th>
              </tr>
            </thead>
            <tbody>
              {record.container_statuses.map((c) => (
                <tr key={c.name}>
                  <td>{c.name}</td>
                  <td className="wrap">
                    <code>{c.image}</code>
                  </td>
                  <td>
                    {c.state}
                    {c.reason ? ` (${c.reason})` : ''}
                    {c.message && <div className="small muted wrap">{c.message}</div>}
                  </td>
                  <td>{c.ready ? 'yes' : 'no'}</td>
                  <td>{c.restart_count}</td>
                  <td>{c.exit_code ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="events-title">
        <h2 id="events-title">Events</h2>
        {record.events.length === 0 ? (
          <p className="muted">No events were reported.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">Reason</th>
                <th scope="col">Message</th>
                <th scope="col">Count</th>
                <th scope="col">Time</th>
              </tr>
            </thead>
            <tbody>
              {record.events.map((e, i) => (
                <tr key={i}>
                  <td>{e.type ?? '—'}</td>
                  <td>{e.reason ?? '—'}</td>
                  <td className="wrap">{e.message ?? ''}</td>
                  <td>{e.count ?? '—'}</td>
                  <td>
                    <Time iso={e.timestamp} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="logs-title">
        <h2 id="logs-title">Logs</h2>
        <h3>Stored with the report</h3>
        {record.logs ? (
          <pre className="logs" tabIndex={0} aria-label="Stored logs">
            {record.logs}
          </pre>
        ) : (
          <p className="muted">No logs were reported.</p>
        )}
        <h3>Live</h3>
        <LiveLogs namespace={record.namespace} pod={record.pod_name} containers={record.container_statuses.map((c) => c.name)} />
      </section>
      <section className="panel" aria-labelledby="manifest-title">
        <h2 id="manifest-title">Manifest</h2>
        <YamlBlock source={record.manifest} label="Pod manifest" />
      </section>
    </article>
  )
}

function Solution({ record }: { record: PodFailure }) {
  const config = useConfig()
  const now = useNow()
  const canWrite = useCan('write')
  const client = useQueryClient()
  const retry = useMutation({
    mutationFn: () => api.post('/api/pods/failed/{pod_id}/retry-solution', { path: { pod_id: record.id } }),
    onSuccess: (data) => client.setQueryData(['incident', record.id], { ...record, ...data }),
  })
  const pending =
    record.solution_source === 'rules' &&
    config.data?.ai_enabled === true &&
    Math.max(now, Date.now() - 30_000) - Date.parse(record.last_seen) < AI_PENDING_SECONDS * 1000
  return (
    <section className="panel" aria-labelledby="solution-title" data-testid="solution">
      <div className="spread">
        <h2 id="solution-title">Solution</h2>
        <span className="row">
          <Badge kind={record.solution_source}>{record.solution_source === 'ai' ? 'AI' : 'Rules'}</Badge>
          {pending && (
            <span className="small muted" role="status" data-testid="ai-pending">
              AI solution pending…
            </span>
          )}
        </span>
      </div>
      <Markdown source={record.solution} />
      {canWrite && (
        <div className="row">
          <button type="button" className="secondary" onClick={() => retry.mutate()} disabled={retry.isPending}>
            {retry.isPending ? 'Generating…' : 'Retry solution'}
          </button>
          <Link className="button secondary" to={`/incidents/${record.id}/mirror`}>
            Test a fix in a mirror pod
          </Link>
        </div>
      )}
      {retry.error && <ErrorNote error={retry.error} />}
    </section>
  )
}

const NEXT_ACTIONS: Record<PodStatus, { label: string; target: PodStatus | 'restore'; note?: boolean }[]> = {
  new: [
    { label: 'Investigate', target: 'investigating' },
    { label: 'Resolve…', target: 'resolved', note: true },
    { label: 'Ignore…', target: 'ignored', note: true },
  ],
  investigating: [
    { label: 'Back to new', target: 'new' },
    { label: 'Resolve…', target: 'resolved', note: true },
    { label: 'Ignore…', target: 'ignored', note: true },
  ],
  resolved: [{ label: 'Reopen', target: 'new' }],
  ignored: [{ label: 'Restore', target: 'restore' }],
}

function StatusActions({ record }: { record: PodFailure }) {
  const client = useQueryClient()
  const [asking, setAsking] = useState<PodStatus | null>(null)
  const [note, setNote] = useState('')
  const change = useMutation({
    mutationFn: async ({ target, note }: { target: PodStatus | 'restore'; note?: string }) =>
      target === 'restore'
        ? api.put('/api/pods/ignored/{pod_id}/restore', { path: { pod_id: record.id } })
        : api.put('/api/pods/{pod_id}/status', { path: { pod_id: record.id }, body: { status: target, note: note || null } }),
    onSuccess: (data) => {
      client.setQueryData(['incident', record.id], { ...record, ...data })
      void client.invalidateQueries({ queryKey: ['incidents'] })
      setAsking(null)
      setNote('')
    },
  })
  return (
    <div className="stack" data-testid="status-actions">
      <div className="row" role="group" aria-label="Status actions">
        {NEXT_ACTIONS[record.status].map((action) => (
          <button
            key={action.label}
            type="button"
            className={action.target === 'investigating' || action.target === 'restore' ? undefined : 'secondary'}
            disabled={change.isPending}
            onClick={() => (action.note ? setAsking(action.target as PodStatus) : change.mutate({ target: action.target }))}
          >
            {action.label}
          </button>
        ))}
      </div>
      {asking && (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault()
            change.mutate({ target: asking, note })
          }}
        >
          <label>
            Note ({asking === 'resolved' ? 'what fixed it' : 'why it is ignored'}, optional)
            <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} autoFocus size={50} />
          </label>
          <button type="submit" disabled={change.isPending}>
            {asking === 'resolved' ? 'Resolve' : 'Ignore'}
          </button>
          <button type="button" className="secondary" onClick={() => setAsking(null)}>
            Cancel
          </button>
        </form>
      )}
      {change.error && <ErrorNote error={change.error} />}
    </div>
  )
}
