import { describe, expect, it } from 'vitest'
import { diffRows } from './DiffView'

describe('diffRows', () => {
  it('marks added and removed lines with their numbers and folds long unchanged runs', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n')
    const after = before.replace('line 10', 'line ten')
    const rows = diffRows(before, after, 2)
    expect(rows.filter((r) => r.kind === 'del')).toEqual([{ kind: 'del', text: 'line 10', oldNo: 11 }])
    expect(rows.filter((r) => r.kind === 'add')).toEqual([{ kind: 'add', text: 'line ten', newNo: 11 }])
    expect(rows[0]).toEqual({ kind: 'skip', text: '8 unchanged lines' })
    expect(rows.at(-1)).toEqual({ kind: 'skip', text: '7 unchanged lines' })
  })
})
