import { control, expect, login, test } from './fixtures'

test('first-admin setup, logout, login, and a wrong password', async ({ page, kure, shot, expectProblems }) => {
  // A second backend on an empty database: the setup screen appears only while no user exists.
  const { url } = (await control(kure, '/backends')) as { url: string }
  await page.goto(`${url}/incidents`)
  await expect(page.getByRole('heading', { name: 'Welcome to Kure Monitor' })).toBeVisible()
  await shot('setup')
  await page.getByLabel('Username').fill('first-admin')
  await page.getByLabel('Password (at least 8 characters)').fill('first-password-1')
  await page.getByLabel('Repeat the password').fill('first-password-1')
  await page.getByRole('button', { name: 'Create administrator' }).click()
  await expect(page.getByTestId('current-user')).toContainText('first-admin (admin)')
  await expect(page.getByRole('heading', { name: 'Incidents' })).toBeVisible()
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live')

  await page.getByRole('button', { name: 'Log out' }).click()
  await expect(page.getByRole('heading', { name: 'Sign in to Kure Monitor' })).toBeVisible()
  // The session is gone on the server too: a reload stays signed out.
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Sign in to Kure Monitor' })).toBeVisible()

  expectProblems(/HTTP 401: POST .*\/api\/auth\/login/, /status of 401/)
  await page.getByLabel('Username').fill('first-admin')
  await page.getByLabel('Password').fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText('Invalid username or password')
  await shot('login')

  await page.getByLabel('Password').fill('first-password-1')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByTestId('current-user')).toContainText('first-admin')
})

test('changing one\'s own password keeps this session and the new password works', async ({ page, kure, request }) => {
  const { url } = (await control(kure, '/backends')) as { url: string }
  await request.post(`${url}/api/auth/signup`, { data: { username: 'pw-admin', password: 'old-password-1' } })
  await login(page, 'pw-admin', 'old-password-1', url)
  await page.getByRole('link', { name: 'Account' }).click()
  await page.getByLabel('Current password').fill('old-password-1')
  await page.getByLabel('New password (at least 8 characters)').fill('new-password-2')
  await page.getByLabel('Repeat the new password').fill('new-password-2')
  await page.getByRole('button', { name: 'Change password' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Password changed.' })).toBeVisible()
  await page.getByRole('button', { name: 'Log out' }).click()
  await login(page, 'pw-admin', 'new-password-2', url)
})
