import { control, expect, loginAsAdmin, reportFailure, test } from './fixtures'

test('the live feed recovers after the backend restarts and re-fetches what it missed', async ({ page, kure, request, expectProblems }) => {
  // While the backend is down the browser's reconnection attempts fail: that is the point of this test.
  expectProblems(/WebSocket connection to .* failed/, /ERR_CONNECTION_REFUSED/, /ERR_EMPTY_RESPONSE/, /ERR_CONNECTION_RESET/)
  await loginAsAdmin(page, kure)
  const indicator = page.getByTestId('live-indicator')
  await expect(indicator).toHaveAttribute('data-state', 'live')
  const states: string[] = []
  await page.exposeFunction('recordLiveState', (state: string) => states.push(state))
  await page.evaluate(() => {
    const element = document.querySelector('[data-testid="live-indicator"]') as HTMLElement
    new MutationObserver(() => (window as unknown as { recordLiveState: (s: string) => void }).recordLiveState(element.dataset.state ?? '')).observe(element, { attributes: true })
  })

  await control(kure, '/restart')
  // Reported the moment the backend is back, most likely before the browser's next reconnection attempt: the
  // re-fetch that follows every reconnection must bring it in.
  const pod = `after-restart-${Date.now().toString(36)}`
  const record = await reportFailure(request, kure, { pod_name: pod })
  await expect(page.locator(`tr[data-incident-id="${record.id}"]`)).toBeVisible({ timeout: 20_000 })
  await expect(indicator).toHaveAttribute('data-state', 'live')
  expect(states).toContain('reconnecting')

  // And the feed is live again: a further report arrives without a reload.
  const next = await reportFailure(request, kure, { pod_name: `${pod}-2` })
  await expect(page.locator(`tr[data-incident-id="${next.id}"]`)).toBeVisible({ timeout: 2000 })
})
