import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { api, ApiError } from '../api/client'
import { useCan } from '../app/auth'
import { useLiveMessages } from '../app/live'
import { Badge } from '../components/Badge'
import { ConfirmButton } from '../components/ConfirmButton'
import { ErrorNote } from '../components/ErrorNote'
import { Time } from '../components/Time'

export function formatLeft(seconds: number): string {
  if (seconds <= 0) return 'expiring'
  const m = Math.floor(seconds / 60)
  const s = seconds % 60
  return m > 0 ? `${m} min ${String(s).padStart(2, '0')} s` : `${s} s`
}

/** Time left until `iso`, updated every second. */
export function Countdown({ until }: { until: string }) {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  const left = Math.max(0, Math.round((Date.parse(until) - now) / 1000))
  return (
    <span data-testid="time-left" title={new Date(until).toLocaleString()}>
      {formatLeft(left)}
    </span>
  )
}

export function PhaseBadge({ phase }: { phase: string }) {
  return <Badge kind="phase">{phase}</Badge>
}

/** A deployed mirror: its phase, time left, conditions, containers and events, polled every 3 s. */
export function MirrorStatusPanel({ mirrorId, onGone }: { mirrorId: string; onGone?: () => void }) {
  const client = useQueryClient()
  const canWrite = useCan('write')
  const key = ['mirror-status', mirrorId] as const
  const status = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => api.get('/api/mirror/status/{mirror_id}', { path: { mirror_id: mirrorId }, signal }),
    refetchInterval: (query) => (query.state.error instanceof ApiError && query.state.error.status === 404 ? false : 3000),
  })
  useLiveMessages((message) => {
    if ((message.data as { mirror_id?: string }).mirror_id !== mirrorId) return
    void client.invalidateQueries({ queryKey: key })
  })
  const remove = useMutation({
    mutationFn: () => api.delete('/api/mirror/{mirror_id}', { path: { mirror_id: mirrorId } }),
    onSuccess: () => {
      client.removeQueries({ queryKey: key })
      void client.invalidateQueries({ queryKey: ['mirrors'] })
      onGone?.()
    },
  })
  const gone = status.error instanceof ApiError && status.error.status === 404
  if (gone) return <p className="alert alert-info" role="status">The mirror pod is gone (deleted or expired).</p>
  const data = status.data
  return (
    <section className="panel stack" aria-labelledby={`mirror-${mirrorId}`} data-testid="mirror-status">
      <div className="spread">
        <h2 id={`mirror-${mirrorId}`}>
          Mirror <code>{data?.mirror_pod_name ?? mirrorId}</code>
        </h2>
        {data && <PhaseBadge phase={data.status} />}
      </div>
      {status.error && !gone ? <ErrorNote error={status.error} /> : null}
      {data && (
        <>
          <dl className="facts">
            <dt>Namespace</dt>
            <dd>{data.namespace}</dd>
            <dt>Created</dt>
            <dd>
              <Time iso={data.created_at} />
            </dd>
            <dt>Time left</dt>
            <dd>
              <Countdown until={data.expires_at} /> (TTL {data.ttl_seconds} s)
            </dd>
            <dt>Fix</dt>
            <dd>{data.is_fallback ? 'cleaned source manifest (no AI fix)' : 'proposed manifest'}</dd>
          </dl>
          {data.conditions.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th scope="col">Condition</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {data.conditions.map((c, i) => (
                  <tr key={i}>
                    <td>{c.type}</td>
                    <td>{c.status}</td>
                    <td>{c.reason ?? ''}</td>
                    <td className="wrap">{c.message ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {data.container_statuses.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th scope="col">Container</th>
                  <th scope="col">State</th>
                  <th scope="col">Ready</th>
                  <th scope="col">Restarts</th>
                </tr>
              </thead>
              <tbody>
                {data.container_statuses.map((c) => (
                  <tr key={c.name}>
                    <td>{c.name}</td>
                    <td>
                      {c.state}
                      {c.reason ? ` (${c.reason})` : ''}
                    </td>
                    <td>{c.ready ? 'yes' : 'no'}</td>
                    <td>{c.restart_count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3>Events</h3>
          {data.events.length === 0 ? (
            <p className="muted small">No events yet.</p>
          ) : (
            <ul className="small">
              {data.events.map((e, i) => (
                <li key={i}>
                  <Time iso={e.timestamp} /> {e.type} {e.reason}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {canWrite && (
        <div className="row">
          <ConfirmButton label="Delete mirror" question="Delete this mirror pod now?" onConfirm={() => remove.mutate()} disabled={remove.isPending} />
        </div>
      )}
      {remove.error && <ErrorNote error={remove.error} />}
    </section>
  )
}
