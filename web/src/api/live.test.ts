import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LiveFeed, type LiveStatus } from './live'

class FakeSocket {
  static all: FakeSocket[] = []
  onopen: (() => void) | null = null
  onclose: ((event: { code: number }) => void) | null = null
  onmessage: ((event: { data: string }) => void) | null = null
  onerror: (() => void) | null = null
  closed = false
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  close() {
    this.closed = true
  }
  open() {
    this.onopen?.()
  }
  drop(code = 1006) {
    this.onclose?.({ code })
  }
  send(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) })
  }
}

function feed() {
  const live = new LiveFeed({
    url: 'ws://test/api/ws',
    backoff: [100, 200, 400],
    random: () => 0.5,
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
  })
  const statuses: LiveStatus[] = []
  const messages: string[] = []
  let resyncs = 0
  let unauthorized = 0
  live.subscribe({
    status: (s) => statuses.push(s),
    message: (m) => messages.push(m.type),
    resync: () => resyncs++,
    unauthorized: () => unauthorized++,
  })
  return { live, statuses, messages, resyncs: () => resyncs, unauthorized: () => unauthorized }
}

beforeEach(() => {
  FakeSocket.all = []
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('LiveFeed', () => {
  it('announces every connection, so screens re-fetch what they may have missed', () => {
    const f = feed()
    f.live.start()
    expect(f.statuses).toEqual(['connecting'])
    FakeSocket.all[0].open()
    expect(f.statuses.at(-1)).toBe('live')
    expect(f.resyncs()).toBe(1)
    FakeSocket.all[0].send({ type: 'pod_failure', data: { id: 1 } })
    FakeSocket.all[0].send({ type: 'ping', data: {} })
    expect(f.messages).toEqual(['pod_failure'])
  })

  it('reconnects with growing delays and resyncs once back', () => {
    const f = feed()
    f.live.start()
    FakeSocket.all[0].open()
    FakeSocket.all[0].drop()
    expect(f.statuses.at(-1)).toBe('reconnecting')
    vi.advanceTimersByTime(99)
    expect(FakeSocket.all).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all).toHaveLength(2)
    FakeSocket.all[1].drop()
    vi.advanceTimersByTime(199)
    expect(FakeSocket.all).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all).toHaveLength(3)
    FakeSocket.all[2].open()
    expect(f.statuses.at(-1)).toBe('live')
    expect(f.resyncs()).toBe(2)
    // A success resets the backoff.
    FakeSocket.all[2].drop()
    vi.advanceTimersByTime(100)
    expect(FakeSocket.all).toHaveLength(4)
  })

  it('stops for good when the session ended (close 4401)', () => {
    const f = feed()
    f.live.start()
    FakeSocket.all[0].open()
    FakeSocket.all[0].drop(4401)
    expect(f.unauthorized()).toBe(1)
    expect(f.statuses.at(-1)).toBe('closed')
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.all).toHaveLength(1)
  })

  it('stop() closes the socket and cancels a pending reconnection', () => {
    const f = feed()
    f.live.start()
    FakeSocket.all[0].drop()
    f.live.stop()
    vi.advanceTimersByTime(60_000)
    expect(FakeSocket.all).toHaveLength(1)
    expect(f.statuses.at(-1)).toBe('closed')
  })

  it('resumes after the last seq it saw: missed messages arrive once, in order, without a re-fetch', () => {
    const f = feed()
    const seen: number[] = []
    f.live.subscribe({ message: (m) => seen.push(m.seq ?? -1) })
    f.live.start()
    expect(FakeSocket.all[0].url).toBe('ws://test/api/ws') // a first connection starts from now
    FakeSocket.all[0].open()
    FakeSocket.all[0].send({ type: 'pod_failure', seq: 41, data: { id: 1 } })
    FakeSocket.all[0].send({ type: 'pod_failure', seq: 42, data: { id: 2 } })
    FakeSocket.all[0].drop() // the replica died
    vi.advanceTimersByTime(100)
    expect(FakeSocket.all[1].url).toBe('ws://test/api/ws?after=42')
    FakeSocket.all[1].open()
    expect(f.resyncs()).toBe(1) // only the first connection asked the screens to re-fetch
    FakeSocket.all[1].send({ type: 'pod_failure', seq: 42, data: { id: 2 } }) // a duplicate is dropped
    FakeSocket.all[1].send({ type: 'pod_status_change', seq: 43, data: { id: 1 } })
    expect(seen).toEqual([41, 42, 43])
    expect(f.messages).toEqual(['pod_failure', 'pod_failure', 'pod_status_change'])
  })

  it('re-fetches when the server says the gap is no longer kept, then resumes from its seq', () => {
    const f = feed()
    f.live.start()
    FakeSocket.all[0].open()
    FakeSocket.all[0].send({ type: 'pod_failure', seq: 5, data: { id: 1 } })
    FakeSocket.all[0].drop()
    vi.advanceTimersByTime(100)
    FakeSocket.all[1].open()
    FakeSocket.all[1].send({ type: 'resync', data: { seq: 900, reason: 'expired' } })
    expect(f.resyncs()).toBe(2)
    expect(f.messages).toEqual(['pod_failure']) // resync is not a feed message
    FakeSocket.all[1].drop()
    vi.advanceTimersByTime(100)
    expect(FakeSocket.all[2].url).toBe('ws://test/api/ws?after=900')
  })
})
