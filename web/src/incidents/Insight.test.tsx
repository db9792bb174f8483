import { fireEvent, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderScreen, scriptBackend } from '../test/render'
import IncidentDetail from './IncidentDetail'

const base = {
  id: 7, pod_name: 'checkout-1', namespace: 'shop', node_name: 'worker-1', phase: 'Running', owner_kind: 'ReplicaSet',
  owner_name: 'checkout-7d9', labels: {}, failure_reason: 'CrashLoopBackOff', failure_message: 'Back-off',
  creation_timestamp: null, timestamp: '2026-01-01T00:00:00Z', events: [], container_statuses: [], solution: 'x',
  solution_source: 'rules', status: 'new', occurrences: 1, first_seen: '2026-01-01T00:00:00Z',
  last_seen: '2026-01-01T00:00:00Z', resolved_at: null, ignored_at: null, resolution_note: null, manifest: '', logs: null,
}

const impact = {
  state: 'down', controller: { kind: 'Deployment', name: 'checkout', ready: 0, desired: 3 },
  services: [{ name: 'checkout', endpoints: 3, ready_endpoints: 0, exposed: true, state: 'down' }], services_total: 1,
  ingresses: [{ name: 'shop', hosts: ['shop.example'] }], ingresses_total: 1, autoscalers: 1, network_policies: 2,
  shared_mounts: 0, service_account: { name: 'checkout', token_mounted: true, dangers: ['read-secrets'] },
}

const subject = { kind: 'User', name: 'alice', namespace: null, source: 'cluster' }
const access = {
  subjects: 4, by_action: { exec: 2 }, dangling_bindings: 1,
  broad: [{ group: 'system:authenticated', actions: ['logs'] }],
  worst: [{ action: 'exec', subject, target: { kind: 'Pod', name: 'checkout-1', namespace: 'shop' }, via: 'RoleBinding shop/debuggers', wildcard: false }],
}

const accessAnswer = {
  pod: { namespace: 'shop', name: 'checkout-1' }, dangling_bindings: [], summary: access,
  paths: [{ authorizer: 'RBAC', binding: null, role: null, rule: null, explanation: 'RoleBinding shop/debuggers → Role shop/debug → pods/exec create' }],
  actions: [{
    action: 'exec', meaning: 'run commands in its containers', severity: 'high', requests: [],
    target: { kind: 'Pod', name: 'checkout-1', namespace: 'shop' },
    subjects: [{ ...subject, broad: false, covers: null, exists: null, grants: [{ verb: 'create', path: 0, wildcard: false }] }],
  }],
}

afterEach(() => vi.unstubAllGlobals())

function show(record: object, extra = {}) {
  const backend = scriptBackend({
    '/api/pods/failed/7': { body: record },
    '/api/config': { body: { ai_enabled: false, settings: { mirror_ttl_seconds: 180 } } },
    ...extra,
  })
  renderScreen(<IncidentDetail />, { role: 'read', path: '/incidents/7', route: '/incidents/:id' })
  return backend
}

describe('graph insight at the incident', () => {
  it('shows that the service is down for users, and what the pod’s account could do', async () => {
    show({ ...base, impact, access })
    const panel = await screen.findByTestId('impact')
    expect(within(panel).getAllByText('Down')).toHaveLength(2)
    expect(within(panel).getByText(/of 3 replicas ready/)).toHaveTextContent('Deployment checkout — 0 of 3 replicas ready')
    expect(within(panel).getByText(/0 of 3 endpoints ready, exposed outside the cluster/)).toBeInTheDocument()
    expect(within(panel).getByText('shop (shop.example)')).toBeInTheDocument()
    expect(within(panel).getByTestId('sa-dangers')).toHaveTextContent('read-secrets')
  })

  it('names who can act on the pod, broad groups first, and lists every grant with its path on demand', async () => {
    const backend = show({ ...base, impact, access }, { '/api/pods/shop/checkout-1/access': { body: accessAnswer } })
    const panel = await screen.findByTestId('access')
    expect(panel).toHaveTextContent('4 subjects can act on this pod')
    expect(panel).toHaveTextContent('1 binding names a role that does not exist')
    expect(within(panel).getByTestId('broad-grants')).toHaveTextContent('system:authenticated (logs)')
    expect(panel).toHaveTextContent('User alice on Pod checkout-1, via RoleBinding shop/debuggers')
    expect(backend.calls.some((call) => call.includes('/access'))).toBe(false)
    fireEvent.click(within(panel).getByRole('button', { name: 'Show every grant' }))
    const table = await within(panel).findByTestId('access-table')
    expect(table).toHaveTextContent('run commands in its containers')
    expect(table).toHaveTextContent('create: RoleBinding shop/debuggers → Role shop/debug → pods/exec create')
  })

  it('says the graph did not answer when the summaries are null, instead of showing zeros', async () => {
    show({ ...base, impact: null, access: null })
    expect(await screen.findAllByTestId('graph-away')).toHaveLength(2)
    expect(screen.queryByText(/subjects can act/)).not.toBeInTheDocument()
  })
})
