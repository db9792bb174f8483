// Server-sent events over fetch (not EventSource): fetch shows the status and `detail` of a refused stream
// (404 container, 503 Kubernetes, 429 too many streams), which EventSource hides behind a bare "error".
import { ApiError } from './client'

export interface SseEvent {
  event: string
  data: string
}

/** Incremental parser of the text/event-stream format (comments and `id:`/`retry:` fields are skipped). */
export class SseParser {
  private buffer = ''
  private event = 'message'
  private data: string[] = []

  push(chunk: string): SseEvent[] {
    this.buffer += chunk
    const out: SseEvent[] = []
    let newline: number
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = this.buffer.slice(0, newline)
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1
      this.buffer = this.buffer.slice(newline + width)
      if (line === '') {
        if (this.data.length > 0) out.push({ event: this.event, data: this.data.join('\n') })
        this.event = 'message'
        this.data = []
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':')
        const field = colon < 0 ? line : line.slice(0, colon)
        let value = colon < 0 ? '' : line.slice(colon + 1)
        if (value.startsWith(' ')) value = value.slice(1)
        if (field === 'data') this.data.push(value)
        else if (field === 'event') this.event = value
      }
    }
    return out
  }
}

/** Opens `url` and calls `onEvent` per event until the stream ends or `signal` aborts. */
export async function streamEvents(url: string, onEvent: (event: SseEvent) => void, signal: AbortSignal): Promise<void> {
  let response: Response
  try {
    response = await fetch(url, { headers: { Accept: 'text/event-stream' }, credentials: 'same-origin', signal })
  } catch (cause) {
    if ((cause as Error)?.name === 'AbortError') return
    throw new ApiError(0, null)
  }
  if (!response.ok || !response.body) {
    let detail: unknown = null
    try {
      detail = ((await response.json()) as { detail?: unknown }).detail ?? null
    } catch {
      /* not JSON */
    }
    const retry = Number(response.headers.get('Retry-After'))
    throw new ApiError(response.status, detail, Number.isFinite(retry) && retry > 0 ? retry : null)
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  const parser = new SseParser()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      for (const event of parser.push(value)) onEvent(event)
    }
  } catch (cause) {
    if ((cause as Error)?.name !== 'AbortError') throw cause
  } finally {
    reader.releaseLock()
  }
}
