// Monitoring exclusions: namespaces and pod-name patterns whose failures and findings are not recorded.
// Everyone sees them; a write user changes them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, listAll } from '../api/client'
import { useCan } from '../app/auth'
import { useLiveMessages } from '../app/live'
import { ConfirmButton } from '../components/ConfirmButton'
import { ErrorNote } from '../components/ErrorNote'
import { Time } from '../components/Time'

export default function ExclusionsPage() {
  const client = useQueryClient()
  const canWrite = useCan('write')
  const namespaces = useQuery({ queryKey: ['excluded-namespaces'], queryFn: ({ signal }) => listAll('/api/admin/excluded-namespaces', { signal }) })
  const pods = useQuery({ queryKey: ['excluded-pods'], queryFn: ({ signal }) => listAll('/api/admin/excluded-pods', { signal }) })
  useLiveMessages((message) => {
    if (message.type === 'namespace_exclusion') void client.invalidateQueries({ queryKey: ['excluded-namespaces'] })
    if (message.type === 'pod_exclusion') void client.invalidateQueries({ queryKey: ['excluded-pods'] })
  })
  const [namespace, setNamespace] = useState('')
  const [pattern, setPattern] = useState({ pod_name: '', namespace: '' })
  const addNamespace = useMutation({
    mutationFn: () => api.post('/api/admin/excluded-namespaces', { body: { namespace } }),
    onSuccess: () => {
      setNamespace('')
      void client.invalidateQueries({ queryKey: ['excluded-namespaces'] })
    },
  })
  const removeNamespace = useMutation({
    mutationFn: (name: string) => api.delete('/api/admin/excluded-namespaces/{namespace}', { path: { namespace: name } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['excluded-namespaces'] }),
  })
  const addPod = useMutation({
    mutationFn: () => api.post('/api/admin/excluded-pods', { body: { pod_name: pattern.pod_name, namespace: pattern.namespace || null } }),
    onSuccess: () => {
      setPattern({ pod_name: '', namespace: '' })
      void client.invalidateQueries({ queryKey: ['excluded-pods'] })
    },
  })
  const removePod = useMutation({
    mutationFn: ({ pod_name, namespace }: { pod_name: string; namespace: string | null }) =>
      api.delete('/api/admin/excluded-pods/{pod_name}', { path: { pod_name }, query: { namespace: namespace ?? undefined } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['excluded-pods'] }),
  })
  return (
    <section className="stack" aria-labelledby="exclusions-title">
      <h1 id="exclusions-title">Exclusions</h1>
      <p className="muted">
        Failures and findings in excluded namespaces, and failures of pods whose name matches an excluded pattern, are
        not recorded. Excluding removes their open incidents.
      </p>
      <div className="grid2">
        <section className="panel stack" aria-labelledby="ns-title">
          <h2 id="ns-title">Namespaces</h2>
          {namespaces.error && <ErrorNote error={namespaces.error} />}
          <ul data-testid="excluded-namespaces">
            {(namespaces.data ?? []).map((row) => (
              <li key={row.id} className="row">
                <code>{row.namespace}</code>
                <span className="small muted">
                  since <Time iso={row.created_at} />
                </span>
                {canWrite && (
                  <ConfirmButton label="Include" className="secondary" question={`Monitor ${row.namespace} again?`} onConfirm={() => removeNamespace.mutate(row.namespace)} />
                )}
              </li>
            ))}
            {namespaces.data?.length === 0 && <li className="muted">None.</li>}
          </ul>
          {canWrite && (
            <form
              className="row"
              onSubmit={(event) => {
                event.preventDefault()
                addNamespace.mutate()
              }}
            >
              <label>
                Namespace
                <input required value={namespace} onChange={(e) => setNamespace(e.target.value)} pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?" maxLength={63} />
              </label>
              <button type="submit" disabled={addNamespace.isPending}>
                Exclude
              </button>
            </form>
          )}
          {[addNamespace.error, removeNamespace.error].map((e, i) => (e ? <ErrorNote key={i} error={e} /> : null))}
        </section>
        <section className="panel stack" aria-labelledby="pods-title">
          <h2 id="pods-title">Pod name patterns</h2>
          {pods.error && <ErrorNote error={pods.error} />}
          <ul data-testid="excluded-pods">
            {(pods.data ?? []).map((row) => (
              <li key={row.id} className="row">
                <code>{row.pod_name}</code>
                <span className="small muted">{row.namespace ? `in ${row.namespace}` : 'in every namespace'}</span>
                {canWrite && (
                  <ConfirmButton label="Remove" className="secondary" question={`Remove ${row.pod_name}?`} onConfirm={() => removePod.mutate(row)} />
                )}
              </li>
            ))}
            {pods.data?.length === 0 && <li className="muted">None.</li>}
          </ul>
          {canWrite && (
            <form
              className="row"
              onSubmit={(event) => {
                event.preventDefault()
                addPod.mutate()
              }}
            >
              <label>
                Pattern (<code>*</code>, <code>?</code>, <code>[…]</code>)
                <input required value={pattern.pod_name} onChange={(e) => setPattern({ ...pattern, pod_name: e.target.value })} placeholder="test-*" />
              </label>
              <label>
                Namespace (optional)
                <input value={pattern.namespace} onChange={(e) => setPattern({ ...pattern, namespace: e.target.value })} placeholder="every namespace" />
              </label>
              <button type="submit" disabled={addPod.isPending}>
                Exclude
              </button>
            </form>
          )}
          {[addPod.error, removePod.error].map((e, i) => (e ? <ErrorNote key={i} error={e} /> : null))}
        </section>
      </div>
    </section>
  )
}
