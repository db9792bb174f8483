import { describe, expect, it } from 'vitest'
import { relativeTime } from './Time'

describe('relativeTime', () => {
  const now = Date.parse('2026-03-26T10:30:00Z')
  it('speaks in the largest whole unit', () => {
    expect(relativeTime('2026-03-26T10:27:00Z', now, 'en')).toBe('3 min. ago')
    expect(relativeTime('2026-03-26T08:30:00Z', now, 'en')).toBe('2 hr. ago')
    expect(relativeTime('2026-03-24T10:30:00Z', now, 'en')).toBe('2 days ago')
    expect(relativeTime('2026-03-26T10:29:50Z', now, 'en')).toBe('now')
    expect(relativeTime('2026-03-26T10:33:00Z', now, 'en')).toBe('in 3 min.')
  })
})
