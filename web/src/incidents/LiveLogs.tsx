// Live container logs over the SSE stream: follow (lines appear as they are written, scrolled into view) or
// pause (lines are kept aside and shown on resume). Opened on request only: each stream holds a Kubernetes
// log connection on the backend.
import { useEffect, useRef, useState } from 'react'
import { buildUrl } from '../api/client'
import { streamEvents } from '../api/sse'
import { ErrorNote } from '../components/ErrorNote'

const MAX_LINES = 5000
type State = 'idle' | 'following' | 'paused' | 'ended'

export function LiveLogs({ namespace, pod, containers }: { namespace: string; pod: string; containers: string[] }) {
  const [container, setContainer] = useState(containers[0] ?? '')
  const [state, setState] = useState<State>('idle')
  const [lines, setLines] = useState<string[]>([])
  const [held, setHeld] = useState<string[]>([])
  const [error, setError] = useState<unknown>(null)
  const [endReason, setEndReason] = useState<string | null>(null)
  const abort = useRef<AbortController | null>(null)
  const pausedRef = useRef(false)
  const box = useRef<HTMLPreElement>(null)

  const stop = () => {
    abort.current?.abort()
    abort.current = null
  }
  useEffect(() => stop, [])
  useEffect(() => {
    if (state === 'following' && box.current) box.current.scrollTop = box.current.scrollHeight
  }, [lines, state])

  const start = () => {
    stop()
    const controller = new AbortController()
    abort.current = controller
    setLines([])
    setHeld([])
    setError(null)
    setEndReason(null)
    pausedRef.current = false
    setState('following')
    const url = buildUrl('/api/pods/{namespace}/{pod_name}/logs/stream', { namespace, pod_name: pod }, { container, tail_lines: 200 })
    streamEvents(
      url,
      (event) => {
        if (event.event === 'message') {
          const add = (previous: string[]) => [...previous, event.data].slice(-MAX_LINES)
          if (pausedRef.current) setHeld(add)
          else setLines(add)
        } else if (event.event === 'end') {
          setEndReason('The container stopped; the stream ended.')
        } else if (event.event === 'error') {
          setEndReason('The Kubernetes API ended the stream with an error.')
        }
      },
      controller.signal,
    )
      .catch((cause: unknown) => setError(cause))
      .finally(() => {
        if (abort.current === controller) {
          abort.current = null
          setState('ended')
        }
      })
  }

  const pause = () => {
    pausedRef.current = true
    setState('paused')
  }
  const resume = () => {
    pausedRef.current = false
    setLines((previous) => [...previous, ...held].slice(-MAX_LINES))
    setHeld([])
    setState('following')
  }

  return (
    <div className="stack" data-testid="live-logs">
      <div className="row">
        {containers.length > 1 && (
          <label>
            Container
            <select aria-label="Container" value={container} onChange={(e) => setContainer(e.target.value)} disabled={state === 'following' || state === 'paused'}>
              {containers.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </label>
        )}
        {(state === 'idle' || state === 'ended') && (
          <button type="button" className="secondary" onClick={start}>
            {state === 'idle' ? 'Stream live logs' : 'Stream again'}
          </button>
        )}
        {state === 'following' && (
          <button type="button" className="secondary" onClick={pause}>
            Pause
          </button>
        )}
        {state === 'paused' && (
          <button type="button" onClick={resume}>
            Follow{held.length ? ` (${held.length} new line${held.length === 1 ? '' : 's'})` : ''}
          </button>
        )}
        {(state === 'following' || state === 'paused') && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              stop()
              setState('ended')
            }}
          >
            Stop
          </button>
        )}
        <span className="small muted" role="status">
          {state === 'following' ? 'Following' : state === 'paused' ? 'Paused' : ''}
        </span>
      </div>
      {error ? <ErrorNote error={error} prefix="Live logs" /> : null}
      {endReason && <p className="small muted">{endReason}</p>}
      {state !== 'idle' && (
        <pre className="logs" ref={box} tabIndex={0} aria-label="Live logs" aria-live="off">
          {lines.join('\n')}
        </pre>
      )}
    </div>
  )
}
