// Security findings: filters (severity, namespace, check, dismissed), server-side pages, dismiss/restore, the AI
// fix as a diff against the live manifest, a full rescan with its progress, and the trusted registries.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useSearchParams } from 'react-router'
import { api, ApiError, errorMessage, listAll, listPage } from '../api/client'
import type { Finding, FindingFix, Severity } from '../api/types'
import { useCan } from '../app/auth'
import { useLiveMessages } from '../app/live'
import { SeverityBadge } from '../components/Badge'
import { ConfirmButton } from '../components/ConfirmButton'
import { DiffView } from '../components/DiffView'
import { ErrorNote } from '../components/ErrorNote'
import { Markdown } from '../components/Markdown'
import { Pagination } from '../components/Pagination'
import { Time } from '../components/Time'

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info']
const PAGE_SIZE = 50

type RescanState = { status: string; reason: string | null; at: number } | null

export default function SecurityPage() {
  const [params, setParams] = useSearchParams()
  const client = useQueryClient()
  const severity = params.get('severity') ?? ''
  const namespace = params.get('namespace') ?? ''
  const check = params.get('check') ?? ''
  const dismissed = params.get('dismissed') === '1'
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0)
  const key = ['findings', severity, namespace, check, dismissed, offset] as const
  const findings = useQuery({
    queryKey: key,
    queryFn: ({ signal }) =>
      listPage('/api/security/findings', {
        query: { severity, namespace, check_name: check, include_dismissed: dismissed, limit: PAGE_SIZE, offset },
        signal,
      }),
    placeholderData: (previous) => previous,
  })
  const [rescan, setRescan] = useState<RescanState>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const refetchSoon = () => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(() => void client.invalidateQueries({ queryKey: ['findings'] }), 500)
  }
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), [])
  useLiveMessages((message) => {
    if (message.type === 'security_finding' || message.type === 'security_finding_deleted') refetchSoon()
    if (message.type === 'trusted_registry_change') void client.invalidateQueries({ queryKey: ['trusted-registries'] })
    if (message.type === 'security_rescan_request') setRescan({ status: 'requested', reason: 'manual', at: Date.now() })
    if (message.type === 'security_rescan_status') {
      const data = message.data as { status: string; reason: string | null }
      setRescan({ status: data.status, reason: data.reason, at: Date.now() })
      if (data.status === 'completed') refetchSoon()
    }
  })
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params)
    for (const [name, value] of Object.entries(changes)) {
      if (value) next.set(name, value)
      else next.delete(name)
    }
    if (!('offset' in changes)) next.delete('offset')
    setParams(next)
  }
  // Checkboxes hold their own state and write the URL: a route update is a transition, and a checkbox that
  // waited for it would flick back for a frame after the click.
  const [selected, setSelected] = useState(() => new Set(severity.split(',').filter(Boolean)))
  const [showDismissed, setShowDismissed] = useState(dismissed)
  useEffect(() => setSelected(new Set(severity.split(',').filter(Boolean))), [severity])
  useEffect(() => setShowDismissed(dismissed), [dismissed])
  const toggleSeverity = (value: Severity) => {
    const next = new Set(selected)
    if (next.has(value)) next.delete(value)
    else next.add(value)
    setSelected(next)
    update({ severity: SEVERITIES.filter((s) => next.has(s)).join(',') || null })
  }
  const [draft, setDraft] = useState({ namespace, check })
  useEffect(() => setDraft({ namespace, check }), [namespace, check])
  const checks = useMemo(() => [...new Set((findings.data?.items ?? []).map((f) => f.check_name))].sort(), [findings.data])

  return (
    <section className="stack" aria-labelledby="security-title">
      <div className="spread">
        <h1 id="security-title">Security findings</h1>
        <RescanControl state={rescan} onRequested={() => setRescan({ status: 'requested', reason: 'manual', at: Date.now() })} />
      </div>
      <div className="panel stack">
        <fieldset className="row">
          <legend>Severity</legend>
          {SEVERITIES.map((value) => (
            <label key={value} className="inline">
              <input type="checkbox" checked={selected.has(value)} onChange={() => toggleSeverity(value)} /> {value}
            </label>
          ))}
        </fieldset>
        <form
          className="row"
          role="search"
          onSubmit={(event) => {
            event.preventDefault()
            update({ namespace: draft.namespace.trim() || null, check: draft.check.trim() || null })
          }}
        >
          <label>
            Namespace (<code>_</code> = cluster-scoped)
            <input value={draft.namespace} placeholder="all" onChange={(e) => setDraft({ ...draft, namespace: e.target.value })} />
          </label>
          <label>
            Check
            <input list="finding-checks" value={draft.check} placeholder="all" onChange={(e) => setDraft({ ...draft, check: e.target.value })} />
          </label>
          <datalist id="finding-checks">
            {checks.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          <button type="submit" className="secondary">
            Filter
          </button>
          <label className="inline">
            <input
              type="checkbox"
              checked={showDismissed}
              onChange={(e) => {
                setShowDismissed(e.target.checked)
                update({ dismissed: e.target.checked ? '1' : null })
              }}
            />{' '}
            Include dismissed
          </label>
        </form>
      </div>
      {findings.error && <ErrorNote error={findings.error} />}
      {findings.data && (
        <>
          <FindingsTable items={findings.data.items} />
          <Pagination
            label="Finding"
            offset={offset}
            limit={PAGE_SIZE}
            total={findings.data.total}
            onChange={(value) => update({ offset: value ? String(value) : null })}
          />
        </>
      )}
      <TrustedRegistries />
    </section>
  )
}

function RescanControl({ state, onRequested }: { state: RescanState; onRequested: () => void }) {
  const canWrite = useCan('write')
  const request = useMutation({ mutationFn: () => api.post('/api/security/rescan'), onSuccess: onRequested })
  const label: Record<string, string> = {
    requested: 'Rescan requested; waiting for the scanner…',
    started: 'Rescan running…',
    completed: 'Rescan completed.',
    failed: 'Rescan failed.',
  }
  return (
    <div className="row">
      {state && (
        <span role="status" className={state.status === 'failed' ? 'alert alert-error' : 'small'} data-testid="rescan-status">
          {label[state.status] ?? state.status}
          {state.reason && state.reason !== 'manual' ? ` (${state.reason})` : ''}
        </span>
      )}
      {canWrite && (
        <button type="button" className="secondary" onClick={() => request.mutate()} disabled={request.isPending || state?.status === 'started'}>
          Rescan the cluster
        </button>
      )}
      {request.error && <ErrorNote error={request.error} />}
    </div>
  )
}

function FindingsTable({ items }: { items: Finding[] }) {
  const [open, setOpen] = useState<number | null>(null)
  if (items.length === 0) return <p className="panel muted">No findings match.</p>
  return (
    <table data-testid="finding-table">
      <thead>
        <tr>
          <th scope="col">Severity</th>
          <th scope="col">Resource</th>
          <th scope="col">Check</th>
          <th scope="col">Message</th>
          <th scope="col">Last seen</th>
        </tr>
      </thead>
      <tbody>
        {items.map((f) => (
          <FindingRow key={f.id} finding={f} open={open === f.id} onToggle={() => setOpen(open === f.id ? null : f.id)} />
        ))}
      </tbody>
    </table>
  )
}

function FindingRow({ finding, open, onToggle }: { finding: Finding; open: boolean; onToggle: () => void }) {
  return (
    <>
      <tr className={finding.dismissed ? 'muted' : undefined}>
        <td>
          <SeverityBadge severity={finding.severity} />
        </td>
        <td>
          <button type="button" className="linklike" onClick={onToggle} aria-expanded={open}>
            {finding.resource_type}/{finding.resource_name}
          </button>
          <div className="small muted">{finding.namespace || 'cluster-scoped'}</div>
        </td>
        <td>
          <code>{finding.check_name}</code>
          {finding.dismissed && <div className="small">dismissed</div>}
        </td>
        <td className="wrap">{finding.message}</td>
        <td>
          <Time iso={finding.last_seen} />
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}>
            <FindingDetail finding={finding} />
          </td>
        </tr>
      )}
    </>
  )
}

function FindingDetail({ finding }: { finding: Finding }) {
  const client = useQueryClient()
  const canWrite = useCan('write')
  const toggle = useMutation({
    mutationFn: () =>
      finding.dismissed
        ? api.put('/api/security/findings/{finding_id}/restore', { path: { finding_id: finding.id } })
        : api.delete('/api/security/findings/{finding_id}', { path: { finding_id: finding.id } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['findings'] }),
  })
  const [fix, setFix] = useState<{ fix: FindingFix; original: string; note: string | null } | null>(null)
  const generate = useMutation({
    mutationFn: async () => {
      const result = await api.post('/api/security/findings/{finding_id}/fix', { path: { finding_id: finding.id } })
      let original = ''
      let note: string | null = null
      if (result.fixed_manifest) {
        try {
          const live = await api.get('/api/diagram/manifest/{namespace}/{kind}/{name}', {
            path: { namespace: finding.namespace || '_', kind: finding.resource_type, name: finding.resource_name },
          })
          original = live.manifest
        } catch (error) {
          note = `The live manifest could not be read (${error instanceof ApiError ? errorMessage(error) : 'error'}); the diff shows the whole proposal.`
        }
      }
      return { fix: result, original, note }
    },
    onSuccess: setFix,
  })
  return (
    <div className="stack">
      <dl className="facts">
        <dt>Remediation</dt>
        <dd>{finding.remediation || '—'}</dd>
        <dt>First seen</dt>
        <dd>
          <Time iso={finding.first_seen} />
        </dd>
        <dt>Details</dt>
        <dd>
          <code className="small">{JSON.stringify(finding.details)}</code>
        </dd>
      </dl>
      {canWrite && (
        <div className="row">
          {finding.dismissed ? (
            <button type="button" className="secondary" onClick={() => toggle.mutate()} disabled={toggle.isPending}>
              Restore
            </button>
          ) : (
            <ConfirmButton label="Dismiss" question="Dismiss this finding?" className="secondary" onConfirm={() => toggle.mutate()} />
          )}
          <button type="button" className="secondary" onClick={() => generate.mutate()} disabled={generate.isPending}>
            {generate.isPending ? 'Asking the AI…' : 'AI fix'}
          </button>
        </div>
      )}
      {toggle.error && <ErrorNote error={toggle.error} />}
      {generate.error && <ErrorNote error={generate.error} />}
      {fix && (
        <div className="stack">
          {fix.fix.is_fallback ? (
            <p className="alert alert-info">No AI fix is available for this finding; the remediation above is the advice.</p>
          ) : (
            <>
              <Markdown source={fix.fix.explanation} />
              {fix.note && <p className="small muted">{fix.note}</p>}
              <DiffView before={fix.original} after={fix.fix.fixed_manifest} label="Proposed fix" />
            </>
          )}
        </div>
      )}
    </div>
  )
}

function TrustedRegistries() {
  const client = useQueryClient()
  const canWrite = useCan('write')
  const [value, setValue] = useState('')
  const registries = useQuery({
    queryKey: ['trusted-registries'],
    queryFn: ({ signal }) => listAll('/api/security/trusted-registries', { signal }),
  })
  const add = useMutation({
    mutationFn: () => api.post('/api/security/trusted-registries', { body: { registry: value } }),
    onSuccess: () => {
      setValue('')
      void client.invalidateQueries({ queryKey: ['trusted-registries'] })
    },
  })
  const remove = useMutation({
    mutationFn: (registry: string) => api.delete('/api/security/trusted-registries/{registry}', { path: { registry } }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['trusted-registries'] }),
  })
  return (
    <section className="panel stack" aria-labelledby="registries-title">
      <h2 id="registries-title">Trusted registries</h2>
      <p className="small muted">Images from these registries never raise an “untrusted registry” finding.</p>
      {registries.error && <ErrorNote error={registries.error} />}
      <ul>
        {(registries.data ?? []).map((r) => (
          <li key={r.id} className="row">
            <code>{r.registry}</code>
            {canWrite && (
              <ConfirmButton label="Remove" className="secondary" question={`Stop trusting ${r.registry}?`} onConfirm={() => remove.mutate(r.registry)} />
            )}
          </li>
        ))}
        {registries.data?.length === 0 && <li className="muted">None.</li>}
      </ul>
      {canWrite && (
        <form
          className="row"
          onSubmit={(event) => {
            event.preventDefault()
            add.mutate()
          }}
        >
          <label>
            Registry (<code>host[:port][/path]</code>)
            <input value={value} onChange={(e) => setValue(e.target.value)} required placeholder="registry.example.com/team" />
          </label>
          <button type="submit" disabled={add.isPending}>
            Trust
          </button>
        </form>
      )}
      {add.error && <ErrorNote error={add.error} />}
      {remove.error && <ErrorNote error={remove.error} />}
    </section>
  )
}
