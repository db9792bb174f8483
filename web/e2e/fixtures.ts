// Shared fixtures of the browser tests.
//
// - `kure`: the harness's URLs, tokens and control API.
// - Every page is watched: a console error, an uncaught exception, a failed request or an HTTP error answer fails
//   the test, unless the test declares it expected (`expectProblems(/pattern/)`).
// - Every HTML page is served under the production Content-Security-Policy: when the backend does not send one
//   yet, the test adds exactly this policy to the document's response, so an inline script or a CDN load would be
//   refused by Chromium and reported as a console error.
// - Nothing outside 127.0.0.1 is reachable: such a request is aborted and fails the test.
import { test as base, expect, request as requests, type APIRequestContext, type Page } from '@playwright/test'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ROOT, RUN_DIR, STATE_FILE } from './global-setup'

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; " +
  "form-action 'self'; frame-ancestors 'none'"

export interface KureState {
  url: string
  control: string
  token: string
  admin: { username: string; password: string }
  openai: string
  webhook: string
  kube: string
}

export function harness(): KureState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as KureState
}

// The README's pictures are refreshed only when asked (KURE_UPDATE_SCREENSHOTS=1), so a test run leaves the work
// tree clean; otherwise they go beside the other test results.
const SCREENSHOTS = process.env.KURE_UPDATE_SCREENSHOTS === '1'
  ? resolve(ROOT, 'docs', 'screenshots')
  : resolve(ROOT, 'web', 'test-results', 'screenshots')

interface Watch {
  problems: string[]
  allowed: RegExp[]
  cspFromServer: string[]
}

type Fixtures = {
  kure: KureState
  watch: Watch
  expectProblems: (...patterns: RegExp[]) => void
  shot: (name: string) => Promise<void>
}

function isDocument(url: URL, origin: string): boolean {
  if (url.origin !== origin) return false
  const path = url.pathname
  return !/^\/(api|assets)(\/|$)/.test(path) && !/^\/(openapi\.json|health|ready|metrics|favicon\.svg)$/.test(path)
}

export const test = base.extend<Fixtures>({
  kure: async ({}, use) => {
    await use(harness())
  },
  baseURL: async ({}, use) => {
    await use(harness().url)
  },
  watch: [
    async ({ context, kure }, use) => {
      const watch: Watch = { problems: [], allowed: [], cspFromServer: [] }
      const report = (text: string) => watch.problems.push(text)
      const local = (url: string) => {
        try {
          const host = new URL(url).hostname
          return host === '127.0.0.1' || host === 'localhost' || url.startsWith('data:') || url.startsWith('blob:')
        } catch {
          return true
        }
      }
      await context.route(
        (url) => !local(url.toString()),
        async (route) => {
          report(`request to outside the machine: ${route.request().url()}`)
          await route.abort('blockedbyclient')
        },
      )
      await context.route(
        (url) => isDocument(url, new URL(kure.url).origin),
        async (route) => {
          if (route.request().resourceType() !== 'document') return route.fallback()
          const response = await route.fetch()
          const headers = response.headers()
          if (headers['content-security-policy']) watch.cspFromServer.push(headers['content-security-policy'])
          else headers['content-security-policy'] = CSP
          await route.fulfill({ response, headers })
        },
      )
      context.on('page', (page) => attach(page, report))
      await use(watch)
    },
    { auto: true },
  ],
  page: async ({ page, watch }, use) => {
    attach(page, (text) => watch.problems.push(text))
    await use(page)
    const unexpected = watch.problems.filter((p) => !watch.allowed.some((pattern) => pattern.test(p)))
    expect(unexpected, 'console errors, failed requests or HTTP errors').toEqual([])
  },
  expectProblems: async ({ watch }, use) => {
    await use((...patterns) => watch.allowed.push(...patterns))
  },
  shot: async ({ page }, use) => {
    mkdirSync(SCREENSHOTS, { recursive: true })
    await use(async (name) => {
      await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), animations: 'disabled' })
    })
  },
})

const attached = new WeakSet<Page>()

function attach(page: Page, report: (text: string) => void): void {
  if (attached.has(page)) return
  attached.add(page)
  page.on('console', (message) => {
    if (message.type() === 'error') report(`console error: ${message.text()}`)
  })
  page.on('pageerror', (error) => report(`uncaught exception: ${error.message}`))
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? ''
    // A request the page itself cancelled (navigation, unmount, a closed stream) is not a failure.
    if (failure.includes('ERR_ABORTED')) return
    report(`request failed: ${request.method()} ${request.url()} ${failure}`)
  })
  page.on('response', (response) => {
    if (response.status() >= 400) report(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`)
  })
}

export { expect }

// --- helpers -----------------------------------------------------------------------------------------------------

export async function login(page: Page, username: string, password: string, base = ''): Promise<void> {
  await page.goto(`${base}/incidents`)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByTestId('current-user')).toContainText(username)
}

// The admin signs in once per run (the login route allows 5 attempts per 30 s per user and address): pages and
// API calls reuse that session. The UI login itself is tested in 01-auth.spec.ts.
let adminContext: APIRequestContext | null = null

/** An API session as the admin (APIRequestContext sends no Origin header: a non-browser client). */
export async function adminApi(_request: APIRequestContext | null, kure: KureState): Promise<APIRequestContext> {
  if (!adminContext) {
    const context = await requests.newContext()
    const response = await context.post(`${kure.url}/api/auth/login`, { data: kure.admin })
    expect(response.status()).toBe(200)
    adminContext = context
  }
  return adminContext
}

export async function loginAsAdmin(page: Page, kure: KureState): Promise<void> {
  const state = await (await adminApi(null, kure)).storageState()
  await page.context().addCookies(state.cookies)
  await page.goto('/incidents')
  await expect(page.getByTestId('current-user')).toContainText(kure.admin.username)
}

let userCounter = 0

export async function createUser(request: APIRequestContext, kure: KureState, role: 'read' | 'write' | 'admin') {
  const admin = await adminApi(request, kure)
  const username = `${role}-${Date.now().toString(36)}-${userCounter++}`
  const password = `${role}-password-123`
  const response = await admin.post(`${kure.url}/api/admin/users`, { data: { username, password, role } })
  expect(response.status()).toBe(201)
  return { username, password }
}

export interface ReportFields {
  pod_name: string
  namespace?: string
  failure_reason?: string
  failure_message?: string
  manifest?: string
  logs?: string
  container_statuses?: unknown[]
  events?: unknown[]
}

export async function reportFailure(request: APIRequestContext, kure: KureState, fields: ReportFields) {
  const response = await request.post(`${kure.url}/api/pods/failed`, {
    headers: { 'X-Service-Token': kure.token },
    data: {
      namespace: 'shop',
      failure_reason: 'CrashLoopBackOff',
      failure_message: "Back-off restarting failed container 'app' (restarts: 3); last termination: Error (exit code 1)",
      container_statuses: [
        { name: 'app', image: 'registry.example.com/shop/web:1.4.2', ready: false, restart_count: 3, state: 'waiting', reason: 'CrashLoopBackOff', exit_code: 1 },
      ],
      events: [{ type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container app', count: 4 }],
      logs: 'Error: DATABASE_URL is not set\n',
      ...fields,
    },
  })
  expect(response.status()).toBe(200)
  return (await response.json()) as { id: number; pod_name: string }
}

export async function control(kure: KureState, path: string, body: unknown = {}): Promise<unknown> {
  const response = await fetch(`${kure.control}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`)
  return response.json()
}

/** The same pod as an object, for the fake Kubernetes API: a mirror's source is always the live pod. */
export function podObject(name: string, namespace = 'shop'): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'registry.example.com/shop/web:1.4.2', env: [{ name: 'DATABASE_URL', value: '' }] }] },
    status: { phase: 'Running' },
  }
}

export function podManifest(name: string, namespace = 'shop', extra = ''): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    '  labels:',
    '    app: web',
    'spec:',
    '  containers:',
    '  - name: app',
    '    image: registry.example.com/shop/web:1.4.2',
    '    env:',
    '    - name: DATABASE_URL',
    '      value: ""',
    extra,
    'status:',
    '  phase: Running',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n')
}

/** A measured figure: printed, and kept in web/test-results/figures.json for docs/benchmarks.md. */
export function recordFigure(name: string, value: unknown): void {
  mkdirSync(RUN_DIR, { recursive: true })
  const file = resolve(RUN_DIR, 'figures.json')
  let figures: Record<string, unknown> = {}
  try {
    figures = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    /* first figure */
  }
  figures[name] = value
  writeFileSync(file, JSON.stringify(figures, null, 2))
  console.log(`figure ${name}: ${JSON.stringify(value)}`)
}

