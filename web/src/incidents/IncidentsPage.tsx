// Incidents: Active (new + investigating) / History / Ignored, paginated by the server (X-Total-Count), filtered
// by namespace and reason, with per-reason counts, kept current by the live feed without a reload.
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import { listAll, listPage, type Page } from '../api/client'
import type { LiveMessage } from '../api/live'
import type { PodFailureSummary } from '../api/types'
import { useLiveMessages } from '../app/live'
import { Badge, StatusBadge } from '../components/Badge'
import { ErrorNote } from '../components/ErrorNote'
import { Pagination } from '../components/Pagination'
import { Time } from '../components/Time'
import { mergeIncidentEvent, TAB_PATH, type ListView, type Tab } from './liveMerge'

export const PAGE_SIZE = 50
const TABS: { id: Tab; label: string }[] = [
  { id: 'active', label: 'Active' },
  { id: 'history', label: 'History' },
  { id: 'ignored', label: 'Ignored' },
]
const LIST_NAME = { active: 'failed', history: 'history', ignored: 'ignored' } as const
const INCIDENT_MESSAGES = new Set(['pod_failure', 'pod_status_change', 'pod_deleted', 'solution_updated'])

export function incidentsKey(view: ListView) {
  return ['incidents', view.tab, view.namespace, view.reason, view.offset, view.limit] as const
}

function useDebounced(callback: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const latest = useRef(callback)
  latest.current = callback
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), [])
  return useMemo(
    () => () => {
      if (timer.current) clearTimeout(timer.current)
      timer.current = setTimeout(() => latest.current(), ms)
    },
    [ms],
  )
}

export function IncidentsPage() {
  const [params, setParams] = useSearchParams()
  const view: ListView = {
    tab: (['active', 'history', 'ignored'].includes(params.get('tab') ?? '') ? params.get('tab') : 'active') as Tab,
    namespace: params.get('namespace') ?? '',
    reason: params.get('reason') ?? '',
    offset: Math.max(0, Number(params.get('offset') ?? 0) || 0),
    limit: PAGE_SIZE,
  }
  const client = useQueryClient()
  const key = incidentsKey(view)
  const list = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      listPage(TAB_PATH[view.tab], {
        query: { limit: view.limit, offset: view.offset, namespace: view.namespace, reason: view.reason },
        signal,
      }),
    placeholderData: (previous) => previous,
  })
  const countsKey = ['incident-reasons', view.tab, view.namespace] as const
  // The first page comes first: the counts are asked for once it is there (a slow store answers it sooner).
  const counts = useQuery({
    queryKey: countsKey,
    enabled: list.data !== undefined,
    queryFn: ({ signal }) =>
      listAll('/api/pods/reasons', { query: { list: LIST_NAME[view.tab], namespace: view.namespace }, signal }),
  })

  const [touched, setTouched] = useState<Set<number>>(new Set())
  const refetchList = useDebounced(() => void client.invalidateQueries({ queryKey: key }), 400)
  const refetchCounts = useDebounced(() => void client.invalidateQueries({ queryKey: ['incident-reasons'] }), 1500)

  useLiveMessages((message: LiveMessage) => {
    if (!INCIDENT_MESSAGES.has(message.type)) return
    // Other tabs and pages are re-fetched when shown again.
    void client.invalidateQueries({ queryKey: ['incidents'], refetchType: 'none' })
    const current = client.getQueryData<Page<PodFailureSummary>>(key)
    if (!current) {
      refetchList()
      return
    }
    if (client.isFetching({ queryKey: key }) > 0) {
      // A fetch in flight (the re-fetch after a reconnection, say) may have been answered before this message's
      // change was stored; its answer would overwrite a merge. Restart it instead, so it includes the change.
      void client.invalidateQueries({ queryKey: key })
      refetchCounts()
      return
    }
    const outcome = mergeIncidentEvent(current, view, message)
    client.setQueryData(key, outcome.page)
    if (outcome.refetch) refetchList()
    if (outcome.countsChanged || message.type === 'pod_failure') refetchCounts()
    if (outcome.touched.length > 0) {
      setTouched((previous) => new Set([...previous, ...outcome.touched]))
      setTimeout(() => setTouched((previous) => new Set([...previous].filter((id) => !outcome.touched.includes(id)))), 4000)
    }
  })

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params)
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value)
      else next.delete(name)
    }
    if (!('offset' in changes)) next.delete('offset')
    setParams(next)
  }

  const [namespaceDraft, setNamespaceDraft] = useState(view.namespace)
  useEffect(() => setNamespaceDraft(view.namespace), [view.namespace])
  const namespaces = useMemo(
    () => [...new Set((list.data?.items ?? []).map((item) => item.namespace))].sort(),
    [list.data],
  )
  const page = list.data

  return (
    <section aria-labelledby="incidents-title">
      <div className="spread">
        <h1 id="incidents-title">Incidents</h1>
        {page && (
          <span className="muted" data-testid="incident-total">
            {page.total.toLocaleString()} {view.tab === 'active' ? 'active' : view.tab === 'history' ? 'resolved' : 'ignored'}
          </span>
        )}
      </div>
      <div className="tabs" role="tablist" aria-label="Incident lists">
        {TABS.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            aria-selected={view.tab === tab.id}
            onClick={() => update({ tab: tab.id === 'active' ? null : tab.id, reason: null })}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div className="panel stack">
        <form
          className="row"
          role="search"
          onSubmit={(event) => {
            event.preventDefault()
            update({ namespace: namespaceDraft.trim() || null })
          }}
        >
          <label>
            Namespace
            <input
              list="incident-namespaces"
              value={namespaceDraft}
              placeholder="all namespaces"
              onChange={(e) => setNamespaceDraft(e.target.value)}
            />
          </label>
          <datalist id="incident-namespaces">
            {namespaces.map((ns) => (
              <option key={ns} value={ns} />
            ))}
          </datalist>
          <button type="submit" className="secondary">
            Filter
          </button>
          {(view.namespace || view.reason) && (
            <button type="button" className="linklike" onClick={() => update({ namespace: null, reason: null })}>
              Clear filters
            </button>
          )}
        </form>
        <div className="chips" role="group" aria-label="Filter by reason" data-testid="reason-counts">
          <button type="button" className="chip" aria-pressed={!view.reason} onClick={() => update({ reason: null })}>
            All reasons
          </button>
          {(counts.data ?? []).map((row) => (
            <button
              key={row.reason}
              type="button"
              className="chip"
              aria-pressed={view.reason === row.reason}
              onClick={() => update({ reason: view.reason === row.reason ? null : row.reason })}
            >
              {row.reason} <strong>{row.count.toLocaleString()}</strong>
            </button>
          ))}
        </div>
      </div>
      {list.error && <ErrorNote error={list.error} />}
      {page && (
        <>
          <IncidentTable items={page.items} touched={touched} tab={view.tab} />
          <div className="spread" style={{ marginTop: '0.75rem' }}>
            <Pagination
              label="Incident"
              offset={view.offset}
              limit={view.limit}
              total={page.total}
              onChange={(offset) => update({ offset: offset ? String(offset) : null })}
            />
            {list.isFetching && <span className="small muted">Updating…</span>}
          </div>
        </>
      )}
      {list.isPending && <p className="muted">Loading incidents…</p>}
    </section>
  )
}

function IncidentTable({ items, touched, tab }: { items: PodFailureSummary[]; touched: Set<number>; tab: Tab }) {
  if (items.length === 0) {
    return (
      <p className="panel muted" data-testid="incidents-empty">
        {tab === 'active' ? 'No active incidents. Failing pods reported by the agent appear here at once.' : 'Nothing here.'}
      </p>
    )
  }
  return (
    <table data-testid="incident-table">
      <caption className="sr-only">Incidents, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col">Pod</th>
          <th scope="col">Reason</th>
          <th scope="col">Message</th>
          <th scope="col">Seen</th>
          <th scope="col">Last seen</th>
          <th scope="col">Solution</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id} className={touched.has(item.id) ? 'highlight' : undefined} data-incident-id={item.id}>
            <td>
              <StatusBadge status={item.status} />
            </td>
            <td>
              <Link to={`/incidents/${item.id}`}>{item.pod_name}</Link>
              <div className="small muted">{item.namespace}</div>
            </td>
            <td>{item.failure_reason}</td>
            <td className="wrap small">{item.failure_message.length > 160 ? `${item.failure_message.slice(0, 160)}…` : item.failure_message}</td>
            <td>{item.occurrences}×</td>
            <td>
              <Time iso={item.last_seen} />
            </td>
            <td>
              <Badge kind={item.solution_source}>{item.solution_source === 'ai' ? 'AI' : 'Rules'}</Badge>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
