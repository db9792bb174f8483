import type { APIRequestContext } from '@playwright/test'
import { expect, loginAsAdmin, test, type KureState } from './fixtures'

async function finding(request: APIRequestContext, kure: KureState, fields: Record<string, unknown>) {
  const response = await request.post(`${kure.url}/api/security/findings`, {
    headers: { 'X-Service-Token': kure.token },
    data: {
      resource_type: 'Pod',
      namespace: 'shop',
      severity: 'high',
      message: 'Container runs as root',
      remediation: 'Set runAsNonRoot: true',
      details: { container: 'app' },
      ...fields,
    },
  })
  expect(response.status()).toBe(200)
  return (await response.json()) as { id: number }
}

test('findings: filters, live arrival, dismiss and restore, rescan progress, trusted registries', async ({ page, kure, request, shot }) => {
  const stamp = Date.now().toString(36)
  await finding(request, kure, { resource_name: `web-${stamp}`, check_name: 'run_as_non_root_missing', severity: 'high' })
  await finding(request, kure, { resource_name: `db-${stamp}`, check_name: 'privileged_container', severity: 'critical', message: "Container 'db' is privileged" })
  await loginAsAdmin(page, kure)
  await page.goto('/security')
  const table = page.getByTestId('finding-table')
  await expect(table).toContainText(`web-${stamp}`)
  await expect(table).toContainText(`db-${stamp}`)

  await page.getByRole('checkbox', { name: 'critical' }).check()
  await expect(table).not.toContainText(`web-${stamp}`)
  await expect(table).toContainText(`db-${stamp}`)
  // A new critical finding arrives live.
  await finding(request, kure, { resource_name: `cache-${stamp}`, check_name: 'host_network', severity: 'critical', message: 'Pod uses the host network' })
  await expect(table).toContainText(`cache-${stamp}`)
  await shot('security')

  await table.getByRole('button', { name: `Pod/db-${stamp}` }).click()
  await page.getByRole('button', { name: 'Dismiss' }).click()
  await page.getByRole('button', { name: 'Yes, dismiss' }).click()
  await expect(table).not.toContainText(`db-${stamp}`)
  await page.getByRole('checkbox', { name: 'Include dismissed' }).check()
  const toggle = table.getByRole('button', { name: `Pod/db-${stamp}` })
  await expect(toggle).toBeVisible()
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  await page.getByRole('button', { name: 'Restore' }).click()
  await page.getByRole('checkbox', { name: 'Include dismissed' }).uncheck()
  await expect(table).toContainText(`db-${stamp}`)

  // Rescan: the request is broadcast to the scanner; its progress reports arrive live.
  await page.getByRole('button', { name: 'Rescan the cluster' }).click()
  await expect(page.getByTestId('rescan-status')).toContainText('waiting for the scanner')
  for (const status of ['started', 'completed']) {
    const response = await request.post(`${kure.url}/api/security/rescan-status`, {
      headers: { 'X-Service-Token': kure.token },
      data: { status, reason: 'manual' },
    })
    expect(response.status()).toBe(204)
    await expect(page.getByTestId('rescan-status')).toContainText(status === 'started' ? 'running' : 'completed')
  }

  const registry = `registry-${stamp}.example.com/team`
  await page.getByLabel(/Registry/).fill(registry)
  await page.getByRole('button', { name: 'Trust' }).click()
  const item = page.getByRole('listitem').filter({ hasText: registry })
  await expect(item).toBeVisible()
  await item.getByRole('button', { name: 'Remove' }).click()
  await item.getByRole('button', { name: 'Yes, remove' }).click()
  await expect(item).toHaveCount(0)
})
