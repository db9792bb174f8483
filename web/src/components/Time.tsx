// A timestamp as people read it: relative ("3 min ago"), with the full date and time in the browser's locale
// on hover and for assistive technology. All times re-render together once every 30 s.
import { useSyncExternalStore } from 'react'

let now = Date.now()
const subscribers = new Set<() => void>()
let ticker: ReturnType<typeof setInterval> | null = null

function subscribe(callback: () => void): () => void {
  subscribers.add(callback)
  if (!ticker) {
    ticker = setInterval(() => {
      now = Date.now()
      subscribers.forEach((s) => s())
    }, 30_000)
  }
  return () => {
    subscribers.delete(callback)
    if (subscribers.size === 0 && ticker) {
      clearInterval(ticker)
      ticker = null
    }
  }
}

export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now)
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['week', 7 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
]

export function relativeTime(iso: string, reference: number, locale?: string): string {
  const seconds = Math.round((new Date(iso).getTime() - reference) / 1000)
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' })
  if (Math.abs(seconds) < 45) return format.format(0, 'second')
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') return format.format(Math.round(seconds / size), unit)
  }
  return ''
}

export function absoluteTime(iso: string, locale?: string): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' })
}

export function Time({ iso, fallback = '—' }: { iso: string | null | undefined; fallback?: string }) {
  const reference = useNow()
  if (!iso) return <span className="muted">{fallback}</span>
  const full = absoluteTime(iso)
  return (
    <time dateTime={iso} title={full}>
      {relativeTime(iso, Math.max(reference, Date.now() - 30_000))}
      <span className="sr-only"> ({full})</span>
    </time>
  )
}

/** Full locale time followed by the relative form, for detail pages. */
export function FullTime({ iso }: { iso: string | null | undefined }) {
  const reference = useNow()
  if (!iso) return <span className="muted">—</span>
  return (
    <time dateTime={iso}>
      {absoluteTime(iso)} <span className="muted">({relativeTime(iso, Math.max(reference, Date.now() - 30_000))})</span>
    </time>
  )
}
