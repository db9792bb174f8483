// The dashboard's one way to call the backend: a small fetch wrapper typed by the generated OpenAPI types
// (schema.d.ts), so a path, query parameter, body or response field that the backend does not have is a compile
// error. Requests are same-origin with the session cookie, so the CSRF Origin rule holds without configuration.
//
// Failures become an ApiError carrying the status, the contract's `detail` and, for 429, the Retry-After wait.
// Listeners let the app react in one place: 401 → login screen, 503 → the dependency banner.
import type { paths } from './schema'

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
export type ApiPath = keyof paths

type Operation<P extends ApiPath, M extends Method> = NonNullable<paths[P][M]>
type Responses<O> = O extends { responses: infer R } ? R : never
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : undefined
type SuccessCode = 200 | 201 | 202 | 204

/** The JSON body of an operation's success answer(s). */
export type Success<P extends ApiPath, M extends Method> = JsonOf<
  Responses<Operation<P, M>>[Extract<keyof Responses<Operation<P, M>>, SuccessCode>]
>
/** One element of a list answer (the document may describe the list or its element). */
export type Item<P extends ApiPath> = Success<P, 'get'> extends (infer E)[] ? E : Success<P, 'get'>

type BodyOf<O> = O extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never

export interface RequestOptions<P extends ApiPath, M extends Method> {
  /** Values for the `{name}` segments of the path. */
  path?: Record<string, string | number>
  query?: QueryOf<Operation<P, M>> | Record<string, string | number | boolean | null | undefined>
  body?: BodyOf<Operation<P, M>>
  signal?: AbortSignal
}

export class ApiError extends Error {
  readonly status: number
  readonly detail: unknown
  /** Seconds to wait (429 Retry-After), else null. */
  readonly retryAfter: number | null

  constructor(status: number, detail: unknown, retryAfter: number | null = null) {
    super(describeDetail(status, detail))
    this.name = 'ApiError'
    this.status = status
    this.detail = detail
    this.retryAfter = retryAfter
  }
}

/** A person-readable message for an error body (the 422 list names the fields). */
export function describeDetail(status: number, detail: unknown): string {
  if (typeof detail === 'string') return detail
  if (Array.isArray(detail)) {
    return detail
      .map((item: { loc?: unknown[]; msg?: string }) => {
        const field = (item.loc ?? []).slice(1).join('.')
        return field ? `${field}: ${item.msg ?? 'invalid'}` : (item.msg ?? 'invalid')
      })
      .join('; ')
  }
  if (status === 0) return 'The Kure Monitor backend is not reachable'
  return `Request failed (HTTP ${status})`
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429 && error.retryAfter) return `${error.message} — try again in ${error.retryAfter} s`
    return error.message
  }
  return error instanceof Error ? error.message : String(error)
}

type Listener = (error: ApiError, path: string) => void
const listeners = new Set<Listener>()

/** Called for every failed request (after the error is built, before it is thrown). */
export function onApiError(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function encodeSegment(name: string, value: string | number): string {
  // A trusted registry (`host/path`) is the one parameter that spans segments (api.md: {registry}).
  const text = String(value)
  if (name === 'registry') return text.split('/').map(encodeURIComponent).join('/')
  return encodeURIComponent(text)
}

export function buildUrl(
  path: string,
  params?: Record<string, string | number>,
  query?: Record<string, unknown>,
): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name]
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`)
    return encodeSegment(name, value)
  })
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  }
  const text = search.toString()
  return text ? `${filled}?${text}` : filled
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined
  const type = response.headers.get('Content-Type') ?? ''
  if (!type.includes('json')) return undefined
  try {
    return await response.json()
  } catch {
    return undefined
  }
}

export interface ApiResponse<T> {
  data: T
  response: Response
}

export async function request<P extends ApiPath, M extends Method>(
  method: M,
  path: P,
  options: RequestOptions<P, M> = {},
): Promise<ApiResponse<Success<P, M>>> {
  const url = buildUrl(path, options.path, options.query as Record<string, unknown> | undefined)
  const init: RequestInit = {
    method: method.toUpperCase(),
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
    signal: options.signal,
  }
  if (options.body !== undefined) {
    init.headers = { ...init.headers, 'Content-Type': 'application/json' }
    init.body = JSON.stringify(options.body)
  }
  let response: Response
  try {
    response = await fetch(url, init)
  } catch (cause) {
    if ((cause as Error)?.name === 'AbortError') throw cause
    const error = new ApiError(0, null)
    listeners.forEach((listener) => listener(error, path))
    throw error
  }
  const body = await readBody(response)
  if (!response.ok) {
    const retry = Number(response.headers.get('Retry-After'))
    const detail = (body as { detail?: unknown } | undefined)?.detail ?? null
    const error = new ApiError(response.status, detail, Number.isFinite(retry) && retry > 0 ? retry : null)
    listeners.forEach((listener) => listener(error, path))
    throw error
  }
  return { data: body as Success<P, M>, response }
}

export const api = {
  get: <P extends ApiPath>(path: P, options?: RequestOptions<P, 'get'>) =>
    request('get', path, options).then((r) => r.data),
  post: <P extends ApiPath>(path: P, options?: RequestOptions<P, 'post'>) =>
    request('post', path, options).then((r) => r.data),
  put: <P extends ApiPath>(path: P, options?: RequestOptions<P, 'put'>) =>
    request('put', path, options).then((r) => r.data),
  patch: <P extends ApiPath>(path: P, options?: RequestOptions<P, 'patch'>) =>
    request('patch', path, options).then((r) => r.data),
  delete: <P extends ApiPath>(path: P, options?: RequestOptions<P, 'delete'>) =>
    request('delete', path, options).then((r) => r.data),
}

export interface Page<T> {
  items: T[]
  /** X-Total-Count: matching items before limit/offset. */
  total: number
}

/** A paginated list route: the items and the X-Total-Count header (api.md pagination). */
export async function listPage<P extends ApiPath>(path: P, options?: RequestOptions<P, 'get'>): Promise<Page<Item<P>>> {
  const { data, response } = await request('get', path, options)
  const items = (Array.isArray(data) ? data : []) as Item<P>[]
  const total = Number(response.headers.get('X-Total-Count') ?? items.length)
  return { items, total: Number.isFinite(total) ? total : items.length }
}

/** An unpaginated list route. */
export async function listAll<P extends ApiPath>(path: P, options?: RequestOptions<P, 'get'>): Promise<Item<P>[]> {
  const data = await api.get(path, options)
  return (Array.isArray(data) ? data : []) as Item<P>[]
}
