// The live event feed: one WebSocket to /api/ws (the session cookie authenticates it), reconnecting with
// exponential backoff and jitter. Every logged message carries its `seq`; a reconnection asks for what it missed
// with `?after=<last seq>` (docs/replicas.md#resuming-the-feed), whichever backend replica it reaches, so screens
// keep their data. The first connection, and a server `resync` (the gap is no longer kept), are announced with
// `resync`, so screens re-fetch what they show. Close 4401 means the session ended: no retry.

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'closed'

export interface LiveMessage {
  type: string
  /** The message's number in the feed all replicas share; absent on pings. */
  seq?: number
  data: Record<string, unknown>
}

export interface LiveFeedOptions {
  url?: string
  /** Backoff steps in ms; the last one repeats. A random ±20 % is applied. */
  backoff?: number[]
  createSocket?: (url: string) => WebSocket
  random?: () => number
}

type MessageListener = (message: LiveMessage) => void
type StatusListener = (status: LiveStatus) => void
type Listener = { message?: MessageListener; status?: StatusListener; resync?: () => void; unauthorized?: () => void }

export const DEFAULT_BACKOFF = [500, 1000, 2000, 4000, 8000, 15000]

export function liveUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`
}

export class LiveFeed {
  private socket: WebSocket | null = null
  private attempt = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private stopped = true
  private listeners = new Set<Listener>()
  private readonly options: Required<LiveFeedOptions>
  status: LiveStatus = 'closed'
  /** Time of the last successful connection, for "live since". */
  connectedAt: number | null = null
  /** The last sequence number received; a reconnection resumes after it. */
  lastSeq: number | null = null

  constructor(options: LiveFeedOptions = {}) {
    this.options = {
      url: options.url ?? liveUrl(),
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      createSocket: options.createSocket ?? ((url) => new WebSocket(url)),
      random: options.random ?? Math.random,
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.connect()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const socket = this.socket
    this.socket = null
    if (socket) {
      socket.onopen = socket.onclose = socket.onmessage = socket.onerror = null
      socket.close(1000)
    }
    this.setStatus('closed')
  }

  /** Delay before the next attempt (ms). */
  nextDelay(): number {
    const steps = this.options.backoff
    const base = steps[Math.min(this.attempt, steps.length - 1)]
    return Math.round(base * (0.8 + 0.4 * this.options.random()))
  }

  /** The URL of the next connection: resuming after the last message seen, if any. */
  connectUrl(): string {
    if (this.lastSeq === null) return this.options.url
    const separator = this.options.url.includes('?') ? '&' : '?'
    return `${this.options.url}${separator}after=${this.lastSeq}`
  }

  private connect(): void {
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting')
    const resuming = this.lastSeq !== null
    const socket = this.options.createSocket(this.connectUrl())
    this.socket = socket
    socket.onopen = () => {
      this.attempt = 0
      this.connectedAt = Date.now()
      this.setStatus('live')
      // A resumed feed replays what was missed; only a fresh one needs the screens to re-fetch.
      if (!resuming) this.listeners.forEach((l) => l.resync?.())
    }
    socket.onmessage = (event: MessageEvent) => {
      let message: LiveMessage
      try {
        message = JSON.parse(String(event.data)) as LiveMessage
      } catch {
        return
      }
      if (!message || typeof message.type !== 'string' || message.type === 'ping') return
      if (message.type === 'resync') {
        // The messages after our last seq are no longer kept: re-fetch, then continue from the server's seq.
        const seq = message.data?.seq
        if (typeof seq === 'number') this.lastSeq = seq
        this.listeners.forEach((l) => l.resync?.())
        return
      }
      if (typeof message.seq === 'number') {
        if (this.lastSeq !== null && message.seq <= this.lastSeq) return // already seen
        this.lastSeq = message.seq
      }
      this.listeners.forEach((l) => l.message?.(message))
    }
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return
      this.socket = null
      if (this.stopped) return
      if (event.code === 4401) {
        this.stopped = true
        this.setStatus('closed')
        this.listeners.forEach((l) => l.unauthorized?.())
        return
      }
      this.scheduleReconnect()
    }
  }

  private scheduleReconnect(): void {
    const delay = this.nextDelay()
    this.attempt += 1
    this.setStatus('reconnecting')
    this.timer = setTimeout(() => {
      this.timer = null
      if (!this.stopped) this.connect()
    }, delay)
  }

  private setStatus(status: LiveStatus): void {
    if (this.status === status) return
    this.status = status
    this.listeners.forEach((l) => l.status?.(status))
  }
}
