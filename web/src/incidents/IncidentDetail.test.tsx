import { screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderScreen, scriptBackend, testFeed } from '../test/render'
import IncidentDetail from './IncidentDetail'

const record = {
  id: 5, pod_name: 'api-5', namespace: 'shop', node_name: 'worker-1', phase: 'Running', owner_kind: 'ReplicaSet',
  owner_name: 'api-7d9', labels: {}, failure_reason: 'CrashLoopBackOff', failure_message: 'Back-off restarting',
  creation_timestamp: null, timestamp: '2026-01-01T00:00:00Z', events: [], container_statuses: [],
  solution: '## Root Cause\n\nThe **database** is down.', solution_source: 'rules', status: 'new', occurrences: 3,
  first_seen: '2026-01-01T00:00:00Z', last_seen: '2026-01-01T00:00:00Z', resolved_at: null, ignored_at: null,
  resolution_note: null, manifest: 'apiVersion: v1\nkind: Pod\n', logs: 'boom',
}

afterEach(() => vi.unstubAllGlobals())

function backend(extra = {}) {
  return scriptBackend({
    '/api/pods/failed/5': { body: record },
    '/api/config': { body: { ai_enabled: false, settings: { mirror_ttl_seconds: 180 } } },
    ...extra,
  })
}

describe('IncidentDetail', () => {
  it('a read user sees the incident and its solution but no write controls', async () => {
    backend()
    renderScreen(<IncidentDetail />, { role: 'read', path: '/incidents/5', route: '/incidents/:id' })
    expect(await screen.findByRole('heading', { name: /api-5/ })).toBeInTheDocument()
    expect(screen.getByText('database')).toBeInTheDocument()
    expect(screen.queryByTestId('status-actions')).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Retry solution' })).not.toBeInTheDocument()
    expect(screen.queryByRole('link', { name: 'Test a fix in a mirror pod' })).not.toBeInTheDocument()
  })

  it('a write user gets the status actions of the current status', async () => {
    backend()
    renderScreen(<IncidentDetail />, { role: 'write', path: '/incidents/5', route: '/incidents/:id' })
    expect(await screen.findByRole('button', { name: 'Investigate' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Resolve…' })).toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Retry solution' })).toBeInTheDocument()
    expect(screen.queryByRole('button', { name: 'Restore' })).not.toBeInTheDocument()
  })

  it('shows an arriving AI solution live', async () => {
    backend({ '/api/config': { body: { ai_enabled: true, settings: { mirror_ttl_seconds: 180 } } } })
    const live = testFeed()
    renderScreen(<IncidentDetail />, { role: 'read', path: '/incidents/5', route: '/incidents/:id', feed: live.feed })
    await screen.findByText('database')
    live.push('solution_updated', { id: 5, solution: '## Root Cause\n\nAn AI says **hello**.', solution_source: 'ai' })
    expect(await screen.findByText('hello')).toBeInTheDocument()
    expect(screen.getByText('AI')).toBeInTheDocument()
    live.push('solution_updated', { id: 6, solution: 'other incident', solution_source: 'ai' })
    expect(screen.queryByText('other incident')).not.toBeInTheDocument()
  })
})
