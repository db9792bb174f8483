import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PodFailureSummary } from '../api/types'
import { renderScreen, scriptBackend, testFeed } from '../test/render'
import { IncidentsPage } from './IncidentsPage'

function incident(id: number, overrides: Partial<PodFailureSummary> = {}): PodFailureSummary {
  return {
    id, pod_name: `web-${id}`, namespace: 'shop', node_name: null, phase: null, owner_kind: null, owner_name: null,
    labels: {}, failure_reason: 'CrashLoopBackOff', failure_message: 'Back-off', creation_timestamp: null,
    timestamp: '2026-01-01T00:00:00Z', events: [], container_statuses: [], solution: '## Root Cause',
    solution_source: 'rules', status: 'new', occurrences: 1, first_seen: '2026-01-01T00:00:00Z',
    last_seen: '2026-01-01T00:00:00Z', resolved_at: null, ignored_at: null, resolution_note: null, ...overrides,
  }
}

afterEach(() => vi.unstubAllGlobals())

describe('IncidentsPage', () => {
  it('shows the first page, the total and the per-reason counts', async () => {
    const backend = scriptBackend({
      '/api/pods/failed': { body: [incident(2), incident(1, { failure_reason: 'OOMKilled' })], headers: { 'X-Total-Count': '1234' } },
      '/api/pods/reasons': { body: [{ reason: 'CrashLoopBackOff', count: 1200 }, { reason: 'OOMKilled', count: 34 }] },
    })
    renderScreen(<IncidentsPage />, { path: '/incidents' })
    expect(await screen.findByText('web-2')).toBeInTheDocument()
    expect(screen.getByTestId('incident-total')).toHaveTextContent('1,234 active')
    expect(await screen.findByRole('button', { name: /OOMKilled 34/ })).toBeInTheDocument()
    expect(backend.calls).toContain('GET /api/pods/failed?limit=50&offset=0')
    expect(screen.getByText('1–50 of 1,234')).toBeInTheDocument()
  })

  it('merges live messages without re-fetching: a new incident on top, a status change in place', async () => {
    const backend = scriptBackend({
      '/api/pods/failed': { body: [incident(1)], headers: { 'X-Total-Count': '1' } },
      '/api/pods/reasons': { body: [] },
    })
    const live = testFeed()
    renderScreen(<IncidentsPage />, { path: '/incidents', feed: live.feed })
    await screen.findByText('web-1')
    const fetchesBefore = backend.calls.filter((c) => c.startsWith('GET /api/pods/failed')).length
    act(() => live.push('pod_failure', incident(7, { failure_reason: 'ImagePullBackOff' })))
    const rows = await screen.findAllByRole('row')
    expect(within(rows[1]).getByText('web-7')).toBeInTheDocument()
    expect(screen.getByTestId('incident-total')).toHaveTextContent('2 active')
    act(() => live.push('pod_status_change', { id: 1, status: 'investigating', previous_status: 'new', namespace: 'shop', pod_name: 'web-1' }))
    await waitFor(() => expect(within(screen.getAllByRole('row')[2]).getByText('Investigating')).toBeInTheDocument())
    await new Promise((r) => setTimeout(r, 600))
    expect(backend.calls.filter((c) => c.startsWith('GET /api/pods/failed')).length).toBe(fetchesBefore)
  })

  it('a live message during a fetch in flight is not lost when that fetch answers with older data', async () => {
    // The list as the server answers each successive GET: the second answer was computed before incident 7 was
    // stored, and arrives after its live message.
    let release: (() => void) | null = null
    let listCalls = 0
    vi.stubGlobal('fetch', vi.fn(async (input: string | URL | Request) => {
      const url = new URL(String(input), 'http://kure.test')
      const json = (body: unknown, total: number) =>
        new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json', 'X-Total-Count': String(total) } })
      if (url.pathname === '/api/pods/reasons') return json([], 0)
      listCalls += 1
      if (listCalls === 2) {
        await new Promise<void>((resolve) => { release = resolve })
        return json([incident(1)], 1)
      }
      return listCalls === 1 ? json([incident(1)], 1) : json([incident(7), incident(1)], 2)
    }))
    const live = testFeed()
    renderScreen(<IncidentsPage />, { path: '/incidents', feed: live.feed })
    await screen.findByText('web-1')
    // A change the page cannot merge by itself makes it re-fetch.
    act(() => live.push('pod_status_change', { id: 99, status: 'resolved', previous_status: 'new', namespace: 'shop', pod_name: 'gone' }))
    await waitFor(() => expect(release).not.toBeNull())
    act(() => live.push('pod_failure', incident(7, { failure_reason: 'ImagePullBackOff' })))
    await act(async () => release?.())
    expect(await screen.findByText('web-7')).toBeInTheDocument()
    await new Promise((r) => setTimeout(r, 100))
    expect(screen.getByText('web-7')).toBeInTheDocument()
    expect(screen.getByTestId('incident-total')).toHaveTextContent('2 active')
  })

  it('filters by reason through the chips and the URL', async () => {
    const backend = scriptBackend({
      '/api/pods/failed': (url) => ({ body: url.searchParams.get('reason') === 'OOMKilled' ? [incident(3, { failure_reason: 'OOMKilled' })] : [incident(1)], headers: { 'X-Total-Count': '1' } }),
      '/api/pods/reasons': { body: [{ reason: 'OOMKilled', count: 1 }] },
    })
    renderScreen(<IncidentsPage />, { path: '/incidents' })
    await userEvent.click(await screen.findByRole('button', { name: /OOMKilled 1/ }))
    expect(await screen.findByText('web-3')).toBeInTheDocument()
    expect(backend.calls).toContain('GET /api/pods/failed?limit=50&offset=0&reason=OOMKilled')
  })
})
