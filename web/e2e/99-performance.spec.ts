// Figures of the dashboard's quality bar, measured in the browser (docs/benchmarks.md). They are printed and
// written to web/test-results/figures.json; the tests fail only on a broken page, not on a slow machine.
import { control, expect, loginAsAdmin, recordFigure, test } from './fixtures'

test('10,000 stored incidents: time from navigation to the Active list\'s first page', async ({ page, kure }) => {
  test.setTimeout(240_000)
  const seeded = Date.now()
  await control(kure, '/seed-incidents', { count: 10_000, namespace: 'perf' })
  recordFigure('seed_10000_incidents_ms', Date.now() - seeded)
  await loginAsAdmin(page, kure)
  const visits: { first_page_ms: number; list_request_ms: number; dashboard_ms: number }[] = []
  for (let visit = 0; visit < 2; visit++) {
    await page.goto('/account')
    await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible()
    const started = Date.now()
    await page.goto('/incidents')
    await expect(page.getByTestId('incident-table').locator('tbody tr')).toHaveCount(50, { timeout: 120_000 })
    const firstPage = Date.now() - started
    await expect(page.getByTestId('incident-total')).toContainText(/10,0\d\d active/)
    const request = await page.evaluate(() => {
      const entry = performance
        .getEntriesByType('resource')
        .find((e) => e.name.includes('/api/pods/failed?')) as PerformanceResourceTiming | undefined
      return entry ? Math.round(entry.responseEnd - entry.requestStart) : -1
    })
    visits.push({ first_page_ms: firstPage, list_request_ms: request, dashboard_ms: firstPage - request })
  }
  recordFigure('active_first_page_10000', visits)
  await expect(page.getByTestId('reason-counts')).toContainText('OOMKilled')
})
