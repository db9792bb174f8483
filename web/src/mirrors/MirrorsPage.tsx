// Active mirror pods with their time left, kept current by the live feed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Link } from 'react-router'
import { api, listAll } from '../api/client'
import { useCan } from '../app/auth'
import { useLiveMessages } from '../app/live'
import { ConfirmButton } from '../components/ConfirmButton'
import { ErrorNote } from '../components/ErrorNote'
import { Time } from '../components/Time'
import { Countdown, MirrorStatusPanel, PhaseBadge } from './common'

export default function MirrorsPage() {
  const client = useQueryClient()
  const canWrite = useCan('write')
  const [open, setOpen] = useState<string | null>(null)
  const mirrors = useQuery({ queryKey: ['mirrors'], queryFn: ({ signal }) => listAll('/api/mirror/active', { signal }) })
  useLiveMessages((message) => {
    if (message.type.startsWith('mirror_')) void client.invalidateQueries({ queryKey: ['mirrors'] })
  })
  const remove = useMutation({
    mutationFn: (mirrorId: string) => api.delete('/api/mirror/{mirror_id}', { path: { mirror_id: mirrorId } }),
    onSettled: () => void client.invalidateQueries({ queryKey: ['mirrors'] }),
  })
  return (
    <section aria-labelledby="mirrors-title" className="stack">
      <h1 id="mirrors-title">Mirror pods</h1>
      {mirrors.error && <ErrorNote error={mirrors.error} />}
      {remove.error && <ErrorNote error={remove.error} />}
      {mirrors.data && mirrors.data.length === 0 && (
        <p className="panel muted">No mirror pod is running. Start one from an incident: “Test a fix in a mirror pod”.</p>
      )}
      {mirrors.data && mirrors.data.length > 0 && (
        <table data-testid="mirror-table">
          <thead>
            <tr>
              <th scope="col">Mirror pod</th>
              <th scope="col">Source</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Time left</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {mirrors.data.map((m) => (
              <tr key={m.mirror_id}>
                <td>
                  <button type="button" className="linklike" onClick={() => setOpen(open === m.mirror_id ? null : m.mirror_id)} aria-expanded={open === m.mirror_id}>
                    {m.mirror_pod_name}
                  </button>
                  <div className="small muted">{m.namespace}</div>
                </td>
                <td>
                  <Link to={`/incidents/${m.pod_failure_id}`}>{m.source_pod_name}</Link>
                </td>
                <td>
                  <PhaseBadge phase={m.status} />
                </td>
                <td>
                  <Time iso={m.created_at} />
                </td>
                <td>
                  <Countdown until={m.expires_at} />
                </td>
                <td>
                  {canWrite && (
                    <ConfirmButton label="Delete" question="Delete this mirror pod?" onConfirm={() => remove.mutate(m.mirror_id)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <MirrorStatusPanel mirrorId={open} onGone={() => setOpen(null)} />}
    </section>
  )
}
