import { act, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderScreen, scriptBackend } from '../test/render'
import { downDependencies, SimulatedBanner } from './banners'
import { Layout } from './Layout'

afterEach(() => vi.unstubAllGlobals())

describe('Layout', () => {
  it.each([
    ['read', false],
    ['write', false],
    ['admin', true],
  ] as const)('shows the Admin screens to %s: %s', async (role, shown) => {
    scriptBackend({ '/api/config': { body: { settings: {} } } })
    renderScreen(<Layout />, { role, path: '/incidents' })
    expect(await screen.findByRole('link', { name: 'Incidents' })).toBeInTheDocument()
    expect(screen.queryByRole('link', { name: 'Admin' }) !== null).toBe(shown)
    expect(screen.getByTestId('current-user')).toHaveTextContent(`(${role})`)
  })
})

describe('banners', () => {
  it('names the dependencies that are down', () => {
    expect(downDependencies({ status: 'ok', checks: { mongodb: 'ok', neo4j: 'down', kubernetes: 'disabled' } })).toEqual(['neo4j'])
  })

  it('shows the simulated-cluster banner only when the backend says so', async () => {
    scriptBackend({ '/api/config': { body: { cluster_mode: 'simulated', settings: {} } } })
    renderScreen(<SimulatedBanner />)
    expect(await screen.findByTestId('simulated-banner')).toHaveTextContent('Simulated cluster')
  })

  it('treats a missing cluster_mode as a real cluster', async () => {
    const backend = scriptBackend({ '/api/config': { body: { settings: {} } } })
    renderScreen(<SimulatedBanner />)
    await waitFor(() => expect(backend.calls).toContain('GET /api/config'))
    await act(() => new Promise((r) => setTimeout(r, 50)))
    expect(screen.queryByTestId('simulated-banner')).not.toBeInTheDocument()
  })
})
