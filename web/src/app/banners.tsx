// Banners above every screen: a dependency that is down (named from /health after any 503 or unreachable
// backend, re-checked every 5 s until it recovers), and a simulated cluster (GET /api/config cluster_mode).
import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { ApiError, onApiError } from '../api/client'
import type { Health } from '../api/types'
import { useConfig } from './config'

const DEPENDENCY: Record<string, { name: string; effect: string }> = {
  mongodb: { name: 'MongoDB', effect: 'incidents, findings and settings cannot be loaded or saved' },
  neo4j: { name: 'Neo4j', effect: 'cluster diagrams are unavailable' },
  kubernetes: { name: 'The Kubernetes API', effect: 'logs, manifests and mirror pods are unavailable' },
}

export function downDependencies(health: Health | undefined): string[] {
  if (!health) return []
  return Object.entries(health.checks)
    .filter(([, state]) => state === 'down')
    .map(([name]) => name)
}

async function fetchHealth(): Promise<Health> {
  let response: Response
  try {
    response = await fetch('/health', { headers: { Accept: 'application/json' } })
  } catch {
    throw new ApiError(0, null)
  }
  if (!response.ok) throw new ApiError(response.status, null)
  return (await response.json()) as Health
}

export function DependencyBanner() {
  const [watching, setWatching] = useState<{ detail: string | null } | null>(null)
  useEffect(
    () =>
      onApiError((error) => {
        if (error.status === 503 || error.status === 0) {
          setWatching({ detail: typeof error.detail === 'string' ? error.detail : null })
        }
      }),
    [],
  )
  const health = useQuery({
    queryKey: ['health-watch'],
    queryFn: fetchHealth,
    enabled: watching !== null,
    refetchInterval: 5000,
    retry: false,
    gcTime: 0,
  })
  const down = downDependencies(health.data)
  const unreachable = health.isError && (health.error as ApiError).status === 0
  useEffect(() => {
    if (watching && health.isSuccess && down.length === 0) setWatching(null)
  }, [watching, health.isSuccess, down.length])
  if (!watching || (!unreachable && down.length === 0)) return null
  return (
    <div className="banner banner-danger" role="alert" data-testid="dependency-banner">
      {unreachable ? (
        <strong>The Kure Monitor backend is not reachable. Retrying every 5 s…</strong>
      ) : (
        down.map((name) => (
          <div key={name}>
            <strong>{DEPENDENCY[name]?.name ?? name} is down</strong>: {DEPENDENCY[name]?.effect ?? 'some features are unavailable'}
            . Retrying every 5 s…
          </div>
        ))
      )}
      {watching.detail && <div className="small">Last error: {watching.detail}</div>}
    </div>
  )
}

export function SimulatedBanner() {
  const config = useConfig()
  if (config.data?.cluster_mode !== 'simulated') return null
  return (
    <div className="banner banner-info" role="note" data-testid="simulated-banner">
      <strong>Simulated cluster.</strong> Pods, failures and findings come from Kure&apos;s built-in simulator, not
      from a real Kubernetes cluster.
    </div>
  )
}
