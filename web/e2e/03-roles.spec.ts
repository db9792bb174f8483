import { createUser, expect, login, reportFailure, test } from './fixtures'

test('a read user sees no write controls and no admin screens', async ({ page, kure, request }) => {
  const record = await reportFailure(request, kure, { pod_name: `reader-view-${Date.now().toString(36)}` })
  const reader = await createUser(request, kure, 'read')
  await login(page, reader.username, reader.password)
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0)

  await page.goto(`/incidents/${record.id}`)
  await expect(page.getByTestId('solution')).toBeVisible()
  await expect(page.getByTestId('status-actions')).toHaveCount(0)
  for (const name of ['Investigate', 'Resolve…', 'Ignore…', 'Retry solution']) {
    await expect(page.getByRole('button', { name })).toHaveCount(0)
  }
  await expect(page.getByRole('link', { name: 'Test a fix in a mirror pod' })).toHaveCount(0)

  await page.goto('/security')
  await expect(page.getByRole('heading', { name: 'Trusted registries' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Rescan the cluster' })).toHaveCount(0)
  await expect(page.getByRole('button', { name: 'Trust' })).toHaveCount(0)

  await page.goto('/exclusions')
  await expect(page.getByRole('heading', { name: 'Namespaces' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Exclude' })).toHaveCount(0)

  await page.goto('/admin/users')
  await expect(page.getByRole('alert')).toContainText('Not allowed: this screen needs the admin role')
  await page.goto(`/incidents/${record.id}/mirror`)
  await expect(page.getByRole('alert')).toContainText('needs the write role')
})

test('a write user gets write controls but no admin screens', async ({ page, kure, request }) => {
  const record = await reportFailure(request, kure, { pod_name: `writer-view-${Date.now().toString(36)}` })
  const writer = await createUser(request, kure, 'write')
  await login(page, writer.username, writer.password)
  await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0)
  await page.goto(`/incidents/${record.id}`)
  await expect(page.getByRole('button', { name: 'Investigate' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Retry solution' })).toBeVisible()
  await page.goto('/exclusions')
  await expect(page.getByRole('button', { name: 'Exclude' }).first()).toBeVisible()
  await page.goto('/admin')
  await expect(page.getByRole('alert')).toContainText('needs the admin role')
})
