import { describe, expect, it } from 'vitest'
import type { PodFailureSummary } from '../api/types'
import { matchesView, mergeIncidentEvent, type ListView } from './liveMerge'

function record(id: number, overrides: Partial<PodFailureSummary> = {}): PodFailureSummary {
  return {
    id,
    pod_name: `pod-${id}`,
    namespace: 'shop',
    node_name: null,
    phase: null,
    owner_kind: null,
    owner_name: null,
    labels: {},
    failure_reason: 'CrashLoopBackOff',
    failure_message: '',
    creation_timestamp: null,
    timestamp: '2026-01-01T00:00:00Z',
    events: [],
    container_statuses: [],
    solution: '## Root Cause',
    solution_source: 'rules',
    status: 'new',
    occurrences: 1,
    first_seen: '2026-01-01T00:00:00Z',
    last_seen: '2026-01-01T00:00:00Z',
    resolved_at: null,
    ignored_at: null,
    resolution_note: null,
    ...overrides,
  }
}

const active: ListView = { tab: 'active', namespace: '', reason: '', offset: 0, limit: 3 }
const page = (...ids: number[]) => ({ items: ids.map((id) => record(id)), total: 10 })

describe('mergeIncidentEvent', () => {
  it('puts a new incident on top of the first page and counts it', () => {
    const out = mergeIncidentEvent(page(3, 2, 1), active, { type: 'pod_failure', data: record(4) as never })
    expect(out.page.items.map((r) => r.id)).toEqual([4, 3, 2])
    expect(out.page.total).toBe(11)
    expect(out.refetch).toBe(false)
    expect(out.countsChanged).toBe(true)
    expect(out.touched).toEqual([4])
  })

  it('moves a re-reported incident to the top without counting it twice', () => {
    const rereport = record(2, { occurrences: 2, last_seen: '2026-01-01T00:05:00Z' })
    const out = mergeIncidentEvent(page(3, 2, 1), active, { type: 'pod_failure', data: rereport as never })
    expect(out.page.items.map((r) => [r.id, r.occurrences])).toEqual([[2, 2], [3, 1], [1, 1]])
    expect(out.page.total).toBe(10)
    expect(out.refetch).toBe(false)
  })

  it('a re-report of an incident from a later page lands on top with the total unchanged', () => {
    const out = mergeIncidentEvent(page(3, 2, 1), active, { type: 'pod_failure', data: record(9, { occurrences: 5 }) as never })
    expect(out.page.items.map((r) => r.id)).toEqual([9, 3, 2])
    expect(out.page.total).toBe(10)
  })

  it('ignores incidents outside the filters and asks later pages to re-fetch', () => {
    const filtered = { ...active, namespace: 'data' }
    expect(mergeIncidentEvent(page(3), filtered, { type: 'pod_failure', data: record(4) as never }).page.items.map((r) => r.id)).toEqual([3])
    const later = mergeIncidentEvent(page(3, 2, 1), { ...active, offset: 3 }, { type: 'pod_failure', data: record(4) as never })
    expect(later.refetch).toBe(true)
    expect(later.page.total).toBe(11)
  })

  it('updates a status that stays in the tab and removes one that leaves it', () => {
    const stays = mergeIncidentEvent(page(3, 2, 1), active, {
      type: 'pod_status_change',
      data: { id: 2, status: 'investigating', previous_status: 'new' },
    })
    expect(stays.page.items.find((r) => r.id === 2)?.status).toBe('investigating')
    expect(stays.refetch).toBe(false)
    const leaves = mergeIncidentEvent(page(3, 2, 1), active, {
      type: 'pod_status_change',
      data: { id: 2, status: 'resolved', previous_status: 'investigating' },
    })
    expect(leaves.page.items.map((r) => r.id)).toEqual([3, 1])
    expect(leaves.page.total).toBe(9)
    expect(leaves.refetch).toBe(true)
  })

  it('re-fetches History when an incident is resolved elsewhere', () => {
    const history: ListView = { ...active, tab: 'history' }
    const out = mergeIncidentEvent({ items: [], total: 0 }, history, {
      type: 'pod_status_change',
      data: { id: 7, status: 'resolved', previous_status: 'new' },
    })
    expect(out.refetch).toBe(true)
  })

  it('drops recovered pods from Active and patches arriving AI solutions', () => {
    const deleted = mergeIncidentEvent(page(3, 2, 1), active, {
      type: 'pod_deleted',
      data: { namespace: 'shop', pod_name: 'pod-2', ids: [2], reason: 'recovered' },
    })
    expect(deleted.page.items.map((r) => r.id)).toEqual([3, 1])
    expect(deleted.page.total).toBe(9)
    const solved = mergeIncidentEvent(page(3, 2, 1), active, {
      type: 'solution_updated',
      data: { id: 1, solution: '## AI', solution_source: 'ai' },
    })
    expect(solved.page.items.find((r) => r.id === 1)).toMatchObject({ solution: '## AI', solution_source: 'ai' })
    expect(solved.refetch).toBe(false)
  })

  it('leaves the page alone for messages of other areas', () => {
    const before = page(1)
    expect(mergeIncidentEvent(before, active, { type: 'security_finding', data: {} }).page).toBe(before)
  })
})

describe('matchesView', () => {
  it('applies tab, namespace and reason', () => {
    expect(matchesView(record(1, { status: 'investigating' }), active)).toBe(true)
    expect(matchesView(record(1, { status: 'ignored' }), active)).toBe(false)
    expect(matchesView(record(1), { ...active, reason: 'OOMKilled' })).toBe(false)
  })
})
