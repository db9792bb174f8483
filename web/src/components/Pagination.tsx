export function Pagination({
  offset,
  limit,
  total,
  onChange,
  label,
}: {
  offset: number
  limit: number
  total: number
  onChange: (offset: number) => void
  label: string
}) {
  const first = total === 0 ? 0 : offset + 1
  const last = Math.min(offset + limit, total)
  return (
    <nav className="row" aria-label={`${label} pages`}>
      <button type="button" className="secondary" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        ← Previous
      </button>
      <span aria-live="polite">
        {first}–{last} of {total.toLocaleString()}
      </span>
      <button type="button" className="secondary" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
        Next →
      </button>
    </nav>
  )
}
