// A unified line diff (jsdiff) with old/new line numbers; long unchanged runs are folded to 3 lines of context.
import { diffLines } from 'diff'
import { useMemo } from 'react'

export interface DiffRow {
  kind: 'add' | 'del' | 'same' | 'skip'
  text: string
  oldNo?: number
  newNo?: number
}

export function diffRows(before: string, after: string, context = 3): DiffRow[] {
  const rows: DiffRow[] = []
  let oldNo = 1
  let newNo = 1
  for (const part of diffLines(before, after)) {
    const lines = part.value.replace(/\n$/, '').split('\n')
    for (const text of lines) {
      if (part.added) rows.push({ kind: 'add', text, newNo: newNo++ })
      else if (part.removed) rows.push({ kind: 'del', text, oldNo: oldNo++ })
      else rows.push({ kind: 'same', text, oldNo: oldNo++, newNo: newNo++ })
    }
  }
  const keep = rows.map((row) => row.kind !== 'same')
  const near = rows.map((_, i) => keep.slice(Math.max(0, i - context), i + context + 1).some(Boolean))
  const folded: DiffRow[] = []
  let skipped = 0
  rows.forEach((row, i) => {
    if (near[i]) {
      if (skipped) folded.push({ kind: 'skip', text: `${skipped} unchanged line${skipped === 1 ? '' : 's'}` })
      skipped = 0
      folded.push(row)
    } else skipped += 1
  })
  if (skipped) folded.push({ kind: 'skip', text: `${skipped} unchanged line${skipped === 1 ? '' : 's'}` })
  return folded
}

export function DiffView({ before, after, label }: { before: string; after: string; label: string }) {
  const rows = useMemo(() => diffRows(before, after), [before, after])
  const changes = rows.filter((row) => row.kind === 'add' || row.kind === 'del').length
  return (
    <div>
      <p className="small muted">{changes === 0 ? 'No changes.' : `${changes} changed line${changes === 1 ? '' : 's'}.`}</p>
      <div className="diff" role="region" aria-label={label} tabIndex={0}>
        {rows.map((row, i) =>
          row.kind === 'skip' ? (
            <div key={i} className="diff-skip">
              ⋯ {row.text}
            </div>
          ) : (
            <div key={i} className={`diff-line diff-${row.kind}`}>
              <span className="num">{row.oldNo ?? ''}</span>
              <span className="num">{row.newNo ?? ''}</span>
              <span aria-label={row.kind === 'add' ? 'added' : row.kind === 'del' ? 'removed' : undefined}>
                {row.kind === 'add' ? '+' : row.kind === 'del' ? '−' : ' '}
              </span>
              <span>{row.text}</span>
            </div>
          ),
        )}
      </div>
    </div>
  )
}
