// The graph meets the incident: what this pod's failure touches (blast radius) and who can act on it. The
// incident record carries both summaries (null when the graph was away or slow); the full answers come from
// GET /api/pods/{namespace}/{pod_name}/impact and /access on demand, because they can be long.
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { api } from '../api/client'
import type { AccessSummary, ImpactSummary, PodAccess, PodFailure, ServiceState, SubjectRef } from '../api/types'
import { Badge } from '../components/Badge'
import { ErrorNote } from '../components/ErrorNote'

/** Availability states, worst first; the badge colours reuse the severity palette. */
const STATE_BADGE: Record<ServiceState, { kind: string; label: string }> = {
  down: { kind: 'critical', label: 'Down' },
  degraded: { kind: 'high', label: 'Degraded' },
  'scaled-to-zero': { kind: 'info', label: 'Scaled to zero' },
  batch: { kind: 'info', label: 'Batch' },
  healthy: { kind: 'low', label: 'Healthy' },
}

export function InsightPanels({ record }: { record: PodFailure }) {
  return (
    <div className="grid2 top">
      <ImpactPanel summary={record.impact} />
      <AccessPanel summary={record.access} namespace={record.namespace} pod={record.pod_name} />
    </div>
  )
}

function GraphAway({ what }: { what: string }) {
  return (
    <p className="muted" data-testid="graph-away">
      {what} comes from the cluster graph, which did not answer in time (Neo4j away, slow, or the pod is not in it
      yet). Reload later.
    </p>
  )
}

function StateBadge({ state }: { state: ServiceState }) {
  const badge = STATE_BADGE[state]
  return <Badge kind={badge.kind}>{badge.label}</Badge>
}

function ImpactPanel({ summary }: { summary: ImpactSummary | null }) {
  return (
    <section className="panel" aria-labelledby="impact-title" data-testid="impact">
      <div className="spread">
        <h2 id="impact-title">Blast radius</h2>
        {summary && <StateBadge state={summary.state} />}
      </div>
      {!summary ? (
        <GraphAway what="What this failure touches" />
      ) : (
        <dl className="facts">
          <dt>Controller</dt>
          <dd>
            {summary.controller ? (
              <>
                {summary.controller.kind} {summary.controller.name}
                {summary.controller.desired !== null && (
                  <>
                    {' '}
                    — <strong>{summary.controller.ready ?? 0}</strong> of {summary.controller.desired} replicas ready
                  </>
                )}
              </>
            ) : (
              'none (a bare pod)'
            )}
          </dd>
          <dt>Services</dt>
          <dd>
            {summary.services_total === 0 ? (
              'none select this pod'
            ) : (
              <ul className="plain">
                {summary.services.map((service) => (
                  <li key={service.name}>
                    <code>{service.name}</code> <StateBadge state={service.state} />{' '}
                    <span className="small muted">
                      {service.ready_endpoints} of {service.endpoints} endpoints ready
                      {service.exposed ? ', exposed outside the cluster' : ''}
                    </span>
                  </li>
                ))}
                {summary.services_total > summary.services.length && (
                  <li className="small muted">and {summary.services_total - summary.services.length} more</li>
                )}
              </ul>
            )}
          </dd>
          <dt>Ingresses</dt>
          <dd>
            {summary.ingresses_total === 0
              ? 'none'
              : summary.ingresses.map((ingress) => `${ingress.name} (${ingress.hosts.join(', ') || 'any host'})`).join('; ') +
                (summary.ingresses_total > summary.ingresses.length
                  ? `; and ${summary.ingresses_total - summary.ingresses.length} more`
                  : '')}
          </dd>
          <dt>Autoscalers</dt>
          <dd>{summary.autoscalers}</dd>
          <dt>NetworkPolicies</dt>
          <dd>{summary.network_policies}</dd>
          <dt>Shared mounts</dt>
          <dd>{summary.shared_mounts === 0 ? 'none' : `${summary.shared_mounts} shared with other pods`}</dd>
          <dt>ServiceAccount</dt>
          <dd>
            {summary.service_account ? (
              <>
                <code>{summary.service_account.name}</code>
                {summary.service_account.token_mounted ? ' (token mounted)' : ' (no token mounted)'}
                {summary.service_account.dangers.length > 0 && (
                  <div className="row" data-testid="sa-dangers">
                    {summary.service_account.dangers.map((danger) => (
                      <Badge key={danger} kind="high" title="What an attacker inside this pod would inherit">
                        {danger}
                      </Badge>
                    ))}
                  </div>
                )}
              </>
            ) : (
              '—'
            )}
          </dd>
        </dl>
      )}
    </section>
  )
}

function subjectName(subject: SubjectRef): string {
  const name = subject.namespace ? `${subject.namespace}/${subject.name}` : subject.name
  return `${subject.kind} ${name}${subject.source === 'cluster' ? '' : ` (${subject.source})`}`
}

function AccessPanel({ summary, namespace, pod }: { summary: AccessSummary | null; namespace: string; pod: string }) {
  const [open, setOpen] = useState(false)
  return (
    <section className="panel" aria-labelledby="access-title" data-testid="access">
      <h2 id="access-title">Who can act on this pod</h2>
      {!summary ? (
        <GraphAway what="Who can act on this pod" />
      ) : (
        <>
          <p>
            <strong>{summary.subjects}</strong> subject{summary.subjects === 1 ? '' : 's'} can act on this pod or what
            it uses
            {summary.dangling_bindings > 0 && (
              <>
                ; <strong>{summary.dangling_bindings}</strong> {summary.dangling_bindings === 1 ? 'binding names' : 'bindings name'} a role
                that does not exist
              </>
            )}
            .
          </p>
          {summary.broad.length > 0 && (
            <p className="alert alert-error" data-testid="broad-grants">
              Granted to everyone in a broad group:{' '}
              {summary.broad.map((grant) => `${grant.group} (${grant.actions.join(', ')})`).join('; ')}
            </p>
          )}
          {summary.worst.length > 0 && (
            <>
              <h3>Most dangerous grants</h3>
              <ul className="plain">
                {summary.worst.map((grant, index) => (
                  <li key={index}>
                    <Badge kind="high">{grant.action}</Badge> {subjectName(grant.subject)}{' '}
                    <span className="small muted">
                      on {grant.target.kind} {grant.target.name}, via {grant.via}
                      {grant.wildcard ? ' (wildcard)' : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <button type="button" className="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide every grant' : 'Show every grant'}
          </button>
          {open && <AccessDetail namespace={namespace} pod={pod} />}
        </>
      )}
    </section>
  )
}

function AccessDetail({ namespace, pod }: { namespace: string; pod: string }) {
  const access = useQuery({
    queryKey: ['access', namespace, pod],
    queryFn: ({ signal }) =>
      api.get('/api/pods/{namespace}/{pod_name}/access', { path: { namespace, pod_name: pod }, signal }),
  })
  if (access.error) return <ErrorNote error={access.error} />
  if (!access.data) return <p className="muted">Loading the grants…</p>
  return <AccessTable answer={access.data} />
}

function AccessTable({ answer }: { answer: PodAccess }) {
  return (
    <table data-testid="access-table">
      <thead>
        <tr>
          <th scope="col">Action</th>
          <th scope="col">On</th>
          <th scope="col">Who, and the path that grants it</th>
        </tr>
      </thead>
      <tbody>
        {answer.actions.map((action, index) => (
          <tr key={index}>
            <td>
              <Badge kind={action.severity}>{action.action}</Badge>
              <div className="small muted">{action.meaning}</div>
            </td>
            <td>
              {action.target.kind} <code>{action.target.name}</code>
            </td>
            <td>
              {action.subjects.length === 0 ? (
                <span className="muted">nobody</span>
              ) : (
                <ul className="plain">
                  {action.subjects.map((subject, i) => (
                    <li key={i}>
                      {subjectName(subject)}
                      {subject.grants.map((grant, g) => (
                        <div key={g} className="small muted wrap">
                          {grant.verb}: {answer.paths[grant.path]?.explanation ?? '—'}
                        </div>
                      ))}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
