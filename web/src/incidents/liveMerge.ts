// How a live message changes the incident page on screen, as a pure function (unit-tested).
//
// Lists are ordered newest `last_seen` first and paginated by the server, so the page can be patched in place
// only where the outcome is certain: records on this page are updated or removed, and on the first page a new
// or re-reported record moves to the top. Anything else (a record that enters this tab from elsewhere, or a
// page whose neighbours shifted) asks for a re-fetch; the caller debounces those.
import type { Page } from '../api/client'
import type { LiveMessage } from '../api/live'
import type { PodFailureSummary, PodStatus } from '../api/types'

export type Tab = 'active' | 'history' | 'ignored'

export const TAB_STATUSES: Record<Tab, readonly PodStatus[]> = {
  active: ['new', 'investigating'],
  history: ['resolved'],
  ignored: ['ignored'],
}

export const TAB_PATH = {
  active: '/api/pods/failed',
  history: '/api/pods/history',
  ignored: '/api/pods/ignored',
} as const

export interface ListView {
  tab: Tab
  namespace: string
  reason: string
  offset: number
  limit: number
}

export interface MergeOutcome {
  page: Page<PodFailureSummary>
  /** The server's answer may differ from the patched page: fetch it again. */
  refetch: boolean
  /** Per-reason counts may have changed. */
  countsChanged: boolean
  /** Ids that just appeared or changed on this page (highlighted briefly). */
  touched: number[]
}

export function matchesView(record: Pick<PodFailureSummary, 'status' | 'namespace' | 'failure_reason'>, view: ListView): boolean {
  return (
    TAB_STATUSES[view.tab].includes(record.status) &&
    (!view.namespace || record.namespace === view.namespace) &&
    (!view.reason || record.failure_reason === view.reason)
  )
}

function unchanged(page: Page<PodFailureSummary>): MergeOutcome {
  return { page, refetch: false, countsChanged: false, touched: [] }
}

function isNewRecord(record: PodFailureSummary): boolean {
  return record.occurrences === 1 && record.first_seen === record.last_seen
}

export function mergeIncidentEvent(page: Page<PodFailureSummary>, view: ListView, message: LiveMessage): MergeOutcome {
  const items = page.items
  switch (message.type) {
    case 'pod_failure': {
      const record = message.data as unknown as PodFailureSummary
      const index = items.findIndex((item) => item.id === record.id)
      const fits = matchesView(record, view)
      if (index >= 0) {
        if (!fits) {
          return {
            page: { items: items.filter((_, i) => i !== index), total: Math.max(0, page.total - 1) },
            refetch: true,
            countsChanged: true,
            touched: [],
          }
        }
        if (view.offset === 0) {
          const rest = items.filter((_, i) => i !== index)
          return { page: { items: [record, ...rest], total: page.total }, refetch: false, countsChanged: false, touched: [record.id] }
        }
        // A re-report moves the record to the first page; this page shifts.
        return { page: { items: items.filter((_, i) => i !== index), total: page.total }, refetch: true, countsChanged: false, touched: [] }
      }
      if (!fits) return unchanged(page)
      const isNew = isNewRecord(record)
      const total = isNew ? page.total + 1 : page.total
      if (view.offset === 0) {
        const next = [record, ...items].slice(0, view.limit)
        // A re-report of a record from a later page: the total is right, the page needs no re-fetch.
        return { page: { items: next, total }, refetch: false, countsChanged: isNew, touched: [record.id] }
      }
      return { page: { items, total }, refetch: true, countsChanged: isNew, touched: [] }
    }
    case 'pod_status_change': {
      const { id, status, previous_status: previous } = message.data as { id: number; status: PodStatus; previous_status: PodStatus }
      const statuses = TAB_STATUSES[view.tab]
      const index = items.findIndex((item) => item.id === id)
      if (index >= 0) {
        if (statuses.includes(status)) {
          const updated = { ...items[index], status }
          return { page: { items: items.map((item, i) => (i === index ? updated : item)), total: page.total }, refetch: false, countsChanged: false, touched: [id] }
        }
        return {
          page: { items: items.filter((_, i) => i !== index), total: Math.max(0, page.total - 1) },
          refetch: true,
          countsChanged: true,
          touched: [],
        }
      }
      const concerns = statuses.includes(status) || statuses.includes(previous)
      return { page, refetch: concerns, countsChanged: concerns, touched: [] }
    }
    case 'pod_deleted': {
      const ids = (message.data.ids as number[] | undefined) ?? []
      const remaining = items.filter((item) => !ids.includes(item.id))
      const removed = items.length - remaining.length
      // Recovered pods move to History; excluded ones are deleted. Either way, totals change.
      const concerns = view.tab === 'active' || (view.tab === 'history' && message.data.reason === 'recovered')
      return {
        page: { items: remaining, total: Math.max(0, page.total - removed) },
        refetch: concerns,
        countsChanged: concerns,
        touched: [],
      }
    }
    case 'solution_updated': {
      const { id, solution, solution_source: source } = message.data as {
        id: number
        solution: string
        solution_source: PodFailureSummary['solution_source']
      }
      if (!items.some((item) => item.id === id)) return unchanged(page)
      return {
        page: { items: items.map((item) => (item.id === id ? { ...item, solution, solution_source: source } : item)), total: page.total },
        refetch: false,
        countsChanged: false,
        touched: [id],
      }
    }
    default:
      return unchanged(page)
  }
}
