// The live feed as React sees it: one LiveFeed per signed-in session; every (re)connection invalidates the
// cached queries so each screen re-fetches what it shows (nothing published while disconnected is lost).
import { useQueryClient } from '@tanstack/react-query'
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { LiveFeed, type LiveMessage, type LiveStatus } from '../api/live'
import { signOutLocally } from './auth'

/** Exported for component tests, which provide a LiveFeed over a fake socket. */
export const FeedContext = createContext<LiveFeed | null>(null)

export function LiveProvider({ children }: { children: React.ReactNode }) {
  const client = useQueryClient()
  const [feed] = useState(() => new LiveFeed())
  useEffect(() => {
    const unsubscribe = feed.subscribe({
      resync: () => void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'auth-status' }),
      unauthorized: () => signOutLocally(client),
    })
    feed.start()
    return () => {
      unsubscribe()
      feed.stop()
    }
  }, [feed, client])
  return <FeedContext.Provider value={feed}>{children}</FeedContext.Provider>
}

export function useLiveStatus(): LiveStatus {
  const feed = useContext(FeedContext)
  return useSyncExternalStore(
    (callback) => feed?.subscribe({ status: callback }) ?? (() => undefined),
    () => feed?.status ?? 'closed',
  )
}

/** Calls `handler` for every live message; the latest handler is used without re-subscribing. */
export function useLiveMessages(handler: (message: LiveMessage) => void): void {
  const feed = useContext(FeedContext)
  const latest = useRef(handler)
  latest.current = handler
  useEffect(() => feed?.subscribe({ message: (m) => latest.current(m) }), [feed])
}

export function LiveIndicator() {
  const status = useLiveStatus()
  const label = {
    live: 'Live',
    connecting: 'Connecting…',
    reconnecting: 'Reconnecting…',
    closed: 'Offline',
  }[status]
  return (
    <span className={`live live-${status}`} role="status" aria-live="polite" data-testid="live-indicator" data-state={status}>
      <span className="dot" aria-hidden="true" />
      {label}
    </span>
  )
}
