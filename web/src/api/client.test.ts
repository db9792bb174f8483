import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, ApiError, buildUrl, describeDetail, listPage, onApiError } from './client'

function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  })
}

afterEach(() => vi.unstubAllGlobals())

describe('buildUrl', () => {
  it('fills and encodes path segments; a registry keeps its slashes', () => {
    expect(buildUrl('/api/diagram/manifest/{namespace}/{kind}/{name}', { namespace: '_', kind: 'ClusterRole', name: 'system:view' })).toBe(
      '/api/diagram/manifest/_/ClusterRole/system%3Aview',
    )
    expect(buildUrl('/api/security/trusted-registries/{registry}', { registry: 'ghcr.io/acme team' })).toBe(
      '/api/security/trusted-registries/ghcr.io/acme%20team',
    )
  })
  it('drops empty query values', () => {
    expect(buildUrl('/api/pods/failed', undefined, { limit: 50, namespace: '', reason: null, offset: 0 })).toBe('/api/pods/failed?limit=50&offset=0')
  })
})

describe('request', () => {
  it('turns an error answer into an ApiError with the detail, and tells the listeners', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => answer(403, { detail: 'Write access required' })))
    const seen: number[] = []
    const stop = onApiError((error) => seen.push(error.status))
    await expect(api.post('/api/security/rescan')).rejects.toMatchObject({ status: 403, message: 'Write access required' })
    stop()
    expect(seen).toEqual([403])
  })

  it('reads Retry-After on 429', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => answer(429, { detail: 'Too many login attempts' }, { 'Retry-After': '17' })))
    const error = await api.post('/api/auth/login', { body: { username: 'a', password: 'b' } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).retryAfter).toBe(17)
  })

  it('reports an unreachable backend as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    await expect(api.get('/api/config')).rejects.toMatchObject({ status: 0 })
  })

  it('sends JSON bodies same-origin with the cookie', async () => {
    const fetchMock = vi.fn(async () => answer(200, { user: { id: 1 } }))
    vi.stubGlobal('fetch', fetchMock)
    await api.post('/api/auth/login', { body: { username: 'a', password: 'b' } })
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('/api/auth/login')
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{"username":"a","password":"b"}' })
  })

  it('listPage returns the items and X-Total-Count', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => answer(200, [{ id: 1 }, { id: 2 }], { 'X-Total-Count': '10000' })))
    const page = await listPage('/api/pods/failed', { query: { limit: 2 } })
    expect(page.total).toBe(10000)
    expect(page.items).toHaveLength(2)
  })
})

describe('describeDetail', () => {
  it('names the fields of a 422', () => {
    expect(describeDetail(422, [{ loc: ['body', 'ttl_seconds'], msg: 'must be ≥ 30', type: 'x' }])).toBe('ttl_seconds: must be ≥ 30')
  })
})
