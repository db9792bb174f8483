// What deploying the generated proposal would change, as the backend computed it with the same gate a deploy runs:
// refusals (a deploy would answer 400), the pod spec fields that differ, what the mirror could do that its source
// cannot, and what changes in its blast radius (from the graph; absent when the graph did not answer).
import type { MirrorDelta } from '../api/types'

function List({ items, empty }: { items: string[]; empty: string }) {
  if (items.length === 0) return <span className="muted">{empty}</span>
  return (
    <ul className="plain">
      {items.map((item) => (
        <li key={item} className="wrap">
          <code>{item}</code>
        </li>
      ))}
    </ul>
  )
}

export function MirrorDeltaView({ delta }: { delta: MirrorDelta }) {
  const radius = delta.blast_radius
  return (
    <section className="stack" aria-labelledby="delta-title" data-testid="mirror-delta">
      <h2 id="delta-title">What deploying this proposal changes</h2>
      {delta.refused.length > 0 && (
        <div className="alert alert-error" role="alert" data-testid="delta-refused">
          The privilege gate would refuse this proposal; edit it before deploying:
          <ul>
            {delta.refused.map((reason) => (
              <li key={reason} className="wrap">
                {reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {delta.can_do_more.length > 0 ? (
        <div className="alert alert-error" data-testid="delta-more">
          The mirror could do more than its source:
          <ul>
            {delta.can_do_more.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="alert alert-ok" data-testid="delta-no-more">
          The mirror can do nothing its source cannot.
        </p>
      )}
      <dl className="facts">
        <dt>Pod spec fields changed</dt>
        <dd>
          <List items={delta.changes} empty="none" />
        </dd>
        {radius ? (
          <>
            <dt>Services it leaves</dt>
            <dd>
              <List items={radius.services_left} empty="none" />
              {radius.services_left.length > 0 && (
                <div className="small muted">The mirror gets none of their traffic.</div>
              )}
            </dd>
            <dt>Services it joins</dt>
            <dd>
              <List items={radius.services_joined} empty="none" />
            </dd>
            <dt>NetworkPolicies</dt>
            <dd>
              {radius.network_policies_kept.length} kept, {radius.network_policies_left.length} left
              {radius.network_policies_left.length > 0 && `: ${radius.network_policies_left.join(', ')}`},{' '}
              {radius.network_policies_joined.length} joined
            </dd>
            {radius.isolation_lost.length > 0 && (
              <>
                <dt>Isolation lost</dt>
                <dd data-testid="isolation-lost">
                  {radius.isolation_lost
                    .map((lost) => `${lost.direction} (was isolated by ${lost.policies.join(', ')})`)
                    .join('; ')}
                </dd>
              </>
            )}
            <dt>Not a replica of</dt>
            <dd>
              {radius.controllers_left.length === 0
                ? 'none'
                : radius.controllers_left.map((owner) => `${owner.kind} ${owner.name}`).join(', ')}
              {radius.autoscalers_left.length > 0 && `; not scaled by ${radius.autoscalers_left.join(', ')}`}
            </dd>
            <dt>Shares with its source</dt>
            <dd>
              ServiceAccount <code>{radius.service_account?.name ?? '—'}</code>
              {radius.shared_mounts.length > 0 &&
                `, ${radius.shared_mounts.map((mount) => `${mount.kind} ${mount.name}`).join(', ')}`}
            </dd>
            {radius.read_write_once_claims.length > 0 && (
              <>
                <dt>May fail to mount</dt>
                <dd>
                  {radius.read_write_once_claims.join(', ')}{' '}
                  <span className="small muted">(ReadWriteOnce claims of the source)</span>
                </dd>
              </>
            )}
          </>
        ) : (
          <>
            <dt>Blast radius</dt>
            <dd className="muted">unknown: the cluster graph did not answer</dd>
          </>
        )}
      </dl>
      <p className="small muted">
        This describes the generated proposal; edits you make are checked by the same gate when you deploy.
      </p>
    </section>
  )
}
