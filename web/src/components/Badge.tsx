export function Badge({ kind, children, title }: { kind: string; children: React.ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${kind}`} title={title}>
      {children}
    </span>
  )
}

export const STATUS_LABEL: Record<string, string> = {
  new: 'New',
  investigating: 'Investigating',
  resolved: 'Resolved',
  ignored: 'Ignored',
}

export function StatusBadge({ status }: { status: string }) {
  return <Badge kind={status}>{STATUS_LABEL[status] ?? status}</Badge>
}

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge kind={severity}>{severity}</Badge>
}
