import { createUser, expect, test } from './fixtures'

test('keyboard only: sign in with Tab and Enter, move through the navigation with a visible focus ring', async ({ page, kure, request }) => {
  const reader = await createUser(request, kure, 'read')
  await page.goto('/incidents')
  // The username field has the focus on arrival.
  await expect(page.getByLabel('Username')).toBeFocused()
  await page.keyboard.type(reader.username)
  await page.keyboard.press('Tab')
  await page.keyboard.type(reader.password)
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('current-user')).toContainText(reader.username)

  // The first Tab reaches the skip link, the next ones the brand and the navigation.
  await page.keyboard.press('Tab')
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused()
  await page.keyboard.press('Tab')
  await page.keyboard.press('Tab')
  const incidents = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Incidents' })
  await expect(incidents).toBeFocused()
  const outline = await incidents.evaluate((element) => getComputedStyle(element).outlineStyle + ' ' + getComputedStyle(element).outlineWidth)
  expect(outline).toBe('solid 3px')
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Mirror pods' })).toBeVisible()
})
