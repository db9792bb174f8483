import { useEffect, useState } from 'react'
import { ApiError, errorMessage } from '../api/client'

/** A failed request, said plainly: 403 names the missing permission, 429 counts down the wait. */
export function ErrorNote({ error, prefix }: { error: unknown; prefix?: string }) {
  const retryAfter = error instanceof ApiError && error.status === 429 ? error.retryAfter : null
  const remaining = useCountdown(retryAfter)
  if (!error) return null
  let message = errorMessage(error)
  if (error instanceof ApiError && error.status === 403) message = `Not allowed: ${error.message}`
  if (retryAfter) message = `${error instanceof ApiError ? error.message : 'Too many requests'} — try again in ${remaining} s`
  return (
    <div className="alert alert-error" role="alert">
      {prefix ? `${prefix}: ` : ''}
      {message}
    </div>
  )
}

/** Seconds left of a wait that started now; 0 when over. */
export function useCountdown(seconds: number | null | undefined): number {
  const [left, setLeft] = useState(seconds ?? 0)
  useEffect(() => {
    setLeft(seconds ?? 0)
    if (!seconds) return
    const started = Date.now()
    const timer = setInterval(() => {
      const value = Math.max(0, Math.ceil(seconds - (Date.now() - started) / 1000))
      setLeft(value)
      if (value === 0) clearInterval(timer)
    }, 250)
    return () => clearInterval(timer)
  }, [seconds])
  return left
}
