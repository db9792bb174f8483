import { control, expect, loginAsAdmin, reportFailure, test } from './fixtures'

test('live logs: lines written in the cluster stream into the incident page; pause holds them, follow shows them', async ({ page, kure, request }) => {
  // A pod of the fixture cluster, reported as failing, with a container named `web`.
  const record = await reportFailure(request, kure, {
    pod_name: 'web-7d9f8b6c4-abc12',
    container_statuses: [{ name: 'web', image: 'registry.example.com/shop/web:1.4.2', ready: false, restart_count: 2, state: 'waiting' }],
  })
  await loginAsAdmin(page, kure)
  await page.goto(`/incidents/${record.id}`)
  const logs = page.getByTestId('live-logs')
  await logs.getByRole('button', { name: 'Stream live logs' }).click()
  await expect(logs.getByRole('status')).toHaveText('Following')
  const write = (...lines: string[]) => control(kure, '/kube/log', { namespace: 'shop', pod: 'web-7d9f8b6c4-abc12', container: 'web', lines })
  await write('listening on :8080', 'GET /healthz 200')
  const box = logs.getByLabel('Live logs')
  await expect(box).toContainText('GET /healthz 200')

  await logs.getByRole('button', { name: 'Pause' }).click()
  await write('panic: DATABASE_URL is not set')
  await expect(logs.getByRole('button', { name: 'Follow (1 new line)' })).toBeVisible()
  await expect(box).not.toContainText('panic')
  await logs.getByRole('button', { name: 'Follow (1 new line)' }).click()
  await expect(box).toContainText('panic: DATABASE_URL is not set')
  await logs.getByRole('button', { name: 'Stop' }).click()
  await expect(logs.getByRole('button', { name: 'Stream again' })).toBeVisible()
})
