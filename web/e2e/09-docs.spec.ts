import { expect, test } from './fixtures'

test('/docs renders Swagger UI offline, under the Content-Security-Policy', async ({ page, watch, shot }) => {
  await page.goto('/docs')
  await expect(page.locator('.swagger-ui .info .title')).toContainText('Kure Monitor API')
  await expect(page.locator('.opblock-summary-path').filter({ hasText: '/api/pods/failed' }).first()).toBeVisible()
  await shot('docs-swagger')
  expect(watch.problems).toEqual([])
})

test('/redoc renders ReDoc offline, under the Content-Security-Policy', async ({ page, watch, shot }) => {
  await page.goto('/redoc')
  await expect(page.locator('h1').filter({ hasText: 'Kure Monitor API' })).toBeVisible()
  await expect(page.getByText('/api/pods/failed').first()).toBeAttached()
  await shot('docs-redoc')
  expect(watch.problems).toEqual([])
})

test('the dashboard itself runs under the same policy (no inline script, nothing from elsewhere)', async ({ page, watch }) => {
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Sign in to Kure Monitor' })).toBeVisible()
  const html = await (await page.request.get('/')).text()
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
  expect(watch.problems).toEqual([])
})
