import { control, expect, loginAsAdmin, podManifest, reportFailure, test } from './fixtures'

test('the incident shows what the failing pod touches and who can act on it, from the real graph', async ({ page, kure, request, shot }) => {
  // The graph watcher mirrors the fake cluster's `shop` namespace into the real Neo4j.
  await control(kure, '/graph-ready', { namespace: 'shop', minimum: 10 })
  await loginAsAdmin(page, kure)
  const pod = 'web-7d9f8b6c4-def34'
  const record = await reportFailure(request, kure, { pod_name: pod, manifest: podManifest(pod) })
  await page.goto(`/incidents/${record.id}`)
  const impact = page.getByTestId('impact')
  // The summaries are left out (null) while the graph is slow; a reload asks again.
  await expect(async () => {
    await page.reload()
    await expect(impact.locator('dl')).toBeVisible({ timeout: 3000 })
  }).toPass({ timeout: 60_000 })
  await expect(impact).toContainText('Deployment web')
  await expect(impact).toContainText('web')
  await expect(impact).toContainText('NetworkPolicies')

  const access = page.getByTestId('access')
  await expect(access).toContainText(/\d+ subjects? can act on this pod/)
  await access.getByRole('button', { name: 'Show every grant' }).click()
  const table = access.getByTestId('access-table')
  // The fixture's ClusterRoleBinding ops-exec-all lets the group `ops` exec into every pod.
  await expect(table).toContainText('Group ops')
  await expect(table).toContainText('ops-exec')
  await shot('incident-insight')
})
