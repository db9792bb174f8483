import { adminApi, expect, loginAsAdmin, podManifest, reportFailure, test } from './fixtures'

test('a report posted with the service token appears in the Active list within 2 s, without a reload', async ({ page, kure, request, shot }) => {
  await loginAsAdmin(page, kure)
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live')
  const navigations: string[] = []
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url())
  })
  const pod = `checkout-${Date.now().toString(36)}`
  const started = Date.now()
  const record = await reportFailure(request, kure, { pod_name: pod, manifest: podManifest(pod) })
  const row = page.locator(`tr[data-incident-id="${record.id}"]`)
  await expect(row).toBeVisible({ timeout: 2000 })
  const elapsed = Date.now() - started
  expect(navigations).toEqual([])
  console.log(`live: report → row visible in ${elapsed} ms`)
  await expect(row).toContainText('CrashLoopBackOff')
  await expect(row).toContainText('New')
  // Per-reason counts include it.
  await expect(page.getByTestId('reason-counts')).toContainText('CrashLoopBackOff')

  // A re-report updates the row in place (occurrences), still live.
  await reportFailure(request, kure, { pod_name: pod })
  await expect(row).toContainText('2×')
  await shot('incidents')
})

test('status changes: investigate and resolve from the detail page; another user\'s change arrives live', async ({ page, kure, request, shot }) => {
  await loginAsAdmin(page, kure)
  const pod = `payments-${Date.now().toString(36)}`
  const record = await reportFailure(request, kure, { pod_name: pod, failure_reason: 'OOMKilled', manifest: podManifest(pod) })
  await page.goto(`/incidents/${record.id}`)
  await expect(page.getByRole('heading', { name: new RegExp(pod) })).toBeVisible()
  await expect(page.getByTestId('solution')).toContainText('Root Cause')
  await expect(page.getByRole('region', { name: 'Pod manifest' }).or(page.getByLabel('Pod manifest'))).toContainText('kind: Pod')
  await shot('incident-detail')

  await page.getByRole('button', { name: 'Investigate' }).click()
  await expect(page.locator('header .badge')).toHaveText('Investigating')

  // Another user resolves it through the API: the open page follows.
  const other = await adminApi(request, kure)
  const resolved = await other.put(`${kure.url}/api/pods/${record.id}/status`, { data: { status: 'resolved', note: 'memory limit raised' } })
  expect(resolved.status()).toBe(200)
  await expect(page.locator('header .badge')).toHaveText('Resolved')
  await expect(page.getByText('memory limit raised')).toBeVisible()

  // Reopen, then ignore with a note, then restore.
  await page.getByRole('button', { name: 'Reopen' }).click()
  await expect(page.locator('header .badge')).toHaveText('New')
  await page.getByRole('button', { name: 'Ignore…' }).click()
  await page.getByLabel(/Note/).fill('known flaky job')
  await page.getByRole('button', { name: 'Ignore', exact: true }).click()
  await expect(page.locator('header .badge')).toHaveText('Ignored')

  await page.goto('/incidents?tab=ignored')
  await expect(page.locator(`tr[data-incident-id="${record.id}"]`)).toBeVisible()
  await page.goto(`/incidents/${record.id}`)
  await page.getByRole('button', { name: 'Restore' }).click()
  await expect(page.locator('header .badge')).toHaveText('New')
})

test('the Active list follows status changes made elsewhere and filters by namespace and reason', async ({ page, kure, request }) => {
  await loginAsAdmin(page, kure)
  const stamp = Date.now().toString(36)
  const a = await reportFailure(request, kure, { pod_name: `api-${stamp}`, namespace: 'data', failure_reason: 'ImagePullBackOff' })
  const b = await reportFailure(request, kure, { pod_name: `worker-${stamp}`, namespace: 'data', failure_reason: 'Pending' })
  await page.goto('/incidents?namespace=data')
  await expect(page.locator(`tr[data-incident-id="${a.id}"]`)).toBeVisible()
  await expect(page.locator(`tr[data-incident-id="${b.id}"]`)).toBeVisible()
  await page.getByTestId('reason-counts').getByRole('button', { name: /^Pending/ }).click()
  await expect(page.locator(`tr[data-incident-id="${a.id}"]`)).toHaveCount(0)
  await expect(page.locator(`tr[data-incident-id="${b.id}"]`)).toBeVisible()

  const api = await adminApi(request, kure)
  await api.delete(`${kure.url}/api/pods/failed/${b.id}`)
  await expect(page.locator(`tr[data-incident-id="${b.id}"]`)).toHaveCount(0)
  await page.getByRole('tab', { name: 'Ignored' }).click()
  await expect(page.locator(`tr[data-incident-id="${b.id}"]`)).toBeVisible()
})
