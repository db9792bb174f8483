// Test a fix: preview the fixed manifest as a diff against the original, edit it, deploy it as a mirror pod
// with a TTL, and follow it. A refusal (privilege gate, invalid manifest) is shown exactly as the backend said it.
import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { Link, useParams } from 'react-router'
import { api } from '../api/client'
import type { Mirror, Preview } from '../api/types'
import { useConfig } from '../app/config'
import { DiffView } from '../components/DiffView'
import { ErrorNote } from '../components/ErrorNote'
import { Markdown } from '../components/Markdown'
import { MirrorStatusPanel } from './common'
import { MirrorDeltaView } from './MirrorDeltaView'

export default function MirrorPage() {
  const id = Number(useParams().id)
  const config = useConfig()
  const incident = useQuery({
    queryKey: ['incident', id],
    queryFn: ({ signal }) => api.get('/api/pods/failed/{pod_id}', { path: { pod_id: id }, signal }),
  })
  const [preview, setPreview] = useState<Preview | null>(null)
  const [draft, setDraft] = useState('')
  const [view, setView] = useState<'diff' | 'edit'>('diff')
  const [ttl, setTtl] = useState<number | null>(null)
  const [mirror, setMirror] = useState<Mirror | null>(null)
  useEffect(() => {
    if (ttl === null && config.data) setTtl(config.data.settings.mirror_ttl_seconds)
  }, [config.data, ttl])

  const generate = useMutation({
    mutationFn: () => api.post('/api/mirror/preview/{pod_id}', { path: { pod_id: id } }),
    onSuccess: (data) => {
      setPreview(data)
      setDraft(data.fixed_manifest)
      setView('diff')
    },
  })
  const deploy = useMutation({
    mutationFn: () =>
      api.post('/api/mirror/deploy/{pod_id}', { path: { pod_id: id }, body: { ttl_seconds: ttl ?? undefined, manifest: draft } }),
    onSuccess: (data) => setMirror(data),
  })
  const record = incident.data
  const ttlValid = ttl !== null && ttl >= 30 && ttl <= 3600
  return (
    <section className="stack" aria-labelledby="mirror-title">
      <p>
        <Link to={`/incidents/${id}`}>← Incident</Link>
      </p>
      <h1 id="mirror-title">Test a fix in a mirror pod{record ? `: ${record.pod_name}` : ''}</h1>
      <p className="muted">
        A mirror pod is a copy of the failing pod with the proposed fix, run next to it for a limited time. It never gets
        more privileges than the source pod, and it is deleted when its TTL ends.
      </p>
      {incident.error && <ErrorNote error={incident.error} />}
      {!mirror && (
        <div className="panel stack">
          <div className="row">
            <button type="button" onClick={() => generate.mutate()} disabled={generate.isPending}>
              {generate.isPending ? 'Generating the fix…' : preview ? 'Generate again' : 'Generate the fix'}
            </button>
          </div>
          {generate.error && <ErrorNote error={generate.error} />}
          {preview && (
            <>
              {preview.is_fallback && (
                <p className="alert alert-info">
                  No AI fix is available (no LLM configured, or its answer held no usable manifest): this is the cleaned
                  source manifest. Edit it before deploying.
                </p>
              )}
              <h2>Explanation</h2>
              <Markdown source={preview.explanation} />
              <MirrorDeltaView delta={preview.delta} />
              <div className="tabs" role="tablist" aria-label="Manifest view">
                <button type="button" role="tab" aria-selected={view === 'diff'} onClick={() => setView('diff')}>
                  Diff against the original
                </button>
                <button type="button" role="tab" aria-selected={view === 'edit'} onClick={() => setView('edit')}>
                  Edit
                </button>
              </div>
              {view === 'diff' ? (
                <DiffView before={record?.manifest ?? ''} after={draft} label="Changes to the pod manifest" />
              ) : (
                <label>
                  Manifest to deploy (YAML, a single Pod)
                  <textarea className="code" value={draft} onChange={(e) => setDraft(e.target.value)} spellCheck={false} />
                </label>
              )}
              <form
                className="row"
                onSubmit={(event) => {
                  event.preventDefault()
                  if (ttlValid) deploy.mutate()
                }}
              >
                <label>
                  Time to live (seconds, 30–3600)
                  <input type="number" min={30} max={3600} value={ttl ?? ''} onChange={(e) => setTtl(Number(e.target.value))} required />
                </label>
                <button type="submit" disabled={deploy.isPending || !ttlValid}>
                  {deploy.isPending ? 'Deploying…' : 'Deploy mirror pod'}
                </button>
              </form>
              {deploy.error && (
                <div data-testid="deploy-error">
                  <ErrorNote error={deploy.error} />
                </div>
              )}
            </>
          )}
        </div>
      )}
      {mirror && (
        <>
          <p className="alert alert-ok" role="status">
            Mirror pod <code>{mirror.mirror_pod_name}</code> created. <Link to="/mirrors">All active mirrors</Link>
          </p>
          <MirrorStatusPanel mirrorId={mirror.mirror_id} />
        </>
      )}
    </section>
  )
}
