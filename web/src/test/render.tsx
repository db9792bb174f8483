// Rendering a screen in a component test: the providers the app gives it, a scripted backend (fetch) and a
// live feed over a fake WebSocket the test can push messages into.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { MemoryRouter, Route, Routes } from 'react-router'
import { vi } from 'vitest'
import { LiveFeed } from '../api/live'
import type { Role } from '../api/types'
import { SessionProvider } from '../app/auth'
import { FeedContext } from '../app/live'

export interface Answer {
  status?: number
  body: unknown
  headers?: Record<string, string>
}

/** Routes `METHOD /path` (exact path, query ignored) or `/path` (any method) to answers; records calls. */
export function scriptBackend(routes: Record<string, Answer | ((url: URL) => Answer)>) {
  const calls: string[] = []
  const fetchMock = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input), 'http://kure.test')
    const method = (init?.method ?? 'GET').toUpperCase()
    calls.push(`${method} ${url.pathname}${url.search}`)
    const route = routes[`${method} ${url.pathname}`] ?? routes[url.pathname]
    if (!route) return new Response(JSON.stringify({ detail: 'Not Found' }), { status: 404, headers: { 'Content-Type': 'application/json' } })
    const answer = typeof route === 'function' ? route(url) : route
    return new Response(answer.status === 204 ? null : JSON.stringify(answer.body), {
      status: answer.status ?? 200,
      headers: { 'Content-Type': 'application/json', ...answer.headers },
    })
  })
  vi.stubGlobal('fetch', fetchMock)
  return { calls, fetchMock }
}

class TestSocket {
  onopen: (() => void) | null = null
  onclose: ((event: { code: number }) => void) | null = null
  onmessage: ((event: { data: string }) => void) | null = null
  onerror: (() => void) | null = null
  close() {}
}

export function testFeed() {
  let socket: TestSocket | null = null
  const feed = new LiveFeed({
    url: 'ws://kure.test/api/ws',
    createSocket: () => {
      socket = new TestSocket()
      return socket as unknown as WebSocket
    },
  })
  feed.start()
  return {
    feed,
    open: () => socket?.onopen?.(),
    push: (type: string, data: unknown) => socket?.onmessage?.({ data: JSON.stringify({ type, data }) }),
  }
}

export function renderScreen(
  ui: ReactElement,
  { role = 'admin', path = '/', route = '*', feed = testFeed().feed }: { role?: Role; path?: string; route?: string; feed?: LiveFeed } = {},
) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })
  return render(
    <QueryClientProvider client={client}>
      <SessionProvider value={{ user: { id: 1, username: `${role}-user`, role }, role }}>
        <FeedContext.Provider value={feed}>
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path={route} element={ui} />
            </Routes>
          </MemoryRouter>
        </FeedContext.Provider>
      </SessionProvider>
    </QueryClientProvider>,
  )
}
