import { control, expect, loginAsAdmin, podManifest, podObject, reportFailure, test } from './fixtures'

test('mirror pod: preview as a diff, a refused edit shown verbatim, deploy with a TTL, follow, delete', async ({ page, kure, request, shot, expectProblems }) => {
  const pod = `web-mirror-${Date.now().toString(36)}`
  // The mirror's source is the pod as the cluster has it now; the reported manifest is evidence only.
  await control(kure, '/kube/pod', { object: podObject(pod) })
  const record = await reportFailure(request, kure, { pod_name: pod, manifest: podManifest(pod) })
  await loginAsAdmin(page, kure)
  await page.goto(`/incidents/${record.id}`)
  await page.getByRole('link', { name: 'Test a fix in a mirror pod' }).click()
  await page.getByRole('button', { name: 'Generate the fix' }).click()
  // No LLM is configured here: the fix is the cleaned source manifest, and the diff shows what cleaning removed.
  await expect(page.getByText('No AI fix is available')).toBeVisible()
  const diff = page.getByRole('region', { name: 'Changes to the pod manifest' })
  await expect(diff).toContainText('phase: Running')
  // The preview says, before any deploy, that the mirror can do nothing its source cannot.
  await expect(page.getByTestId('delta-no-more')).toBeVisible()
  await expect(page.getByTestId('delta-refused')).toHaveCount(0)
  await shot('mirror-preview')

  // An edit that adds a privilege is refused by the backend's gate; the refusal is shown as it was said.
  expectProblems(/HTTP 400: POST .*\/api\/mirror\/deploy\//, /status of 400/)
  await page.getByRole('tab', { name: 'Edit' }).click()
  const editor = page.getByLabel('Manifest to deploy (YAML, a single Pod)')
  const fixed = await editor.inputValue()
  expect(fixed).toContain('\n    name: app\n')
  await editor.fill(fixed.replace('\n    name: app\n', '\n    name: app\n    securityContext:\n      privileged: true\n'))
  await page.getByLabel('Time to live (seconds, 30–3600)').fill('120')
  await page.getByRole('button', { name: 'Deploy mirror pod' }).click()
  await expect(page.getByTestId('deploy-error')).toHaveText(
    "Manifest adds privileges over the source pod: added field 'spec.containers[app].securityContext.privileged'",
  )

  await editor.fill(fixed)
  await page.getByRole('button', { name: 'Deploy mirror pod' }).click()
  const panel = page.getByTestId('mirror-status')
  await expect(panel).toBeVisible()
  await expect(panel.locator('.badge')).toHaveText('Pending')
  await expect(panel.getByTestId('time-left')).toContainText(/1 min|\d+ s/)
  const podName = (await panel.locator('h2 code').textContent()) ?? ''
  expect(podName).toContain('-mirror-')

  // The pod starts in the cluster: the status follows.
  await control(kure, '/kube/pod-phase', { namespace: 'shop', name: podName, phase: 'Running' })
  await expect(panel.locator('.badge')).toHaveText('Running', { timeout: 10_000 })
  await shot('mirror-status')

  await page.getByRole('link', { name: 'All active mirrors' }).click()
  const row = page.getByTestId('mirror-table').getByRole('row', { name: new RegExp(podName) })
  await expect(row).toBeVisible()
  await expect(row.getByTestId('time-left')).toContainText(/min|s/)
  await shot('mirrors')
  await row.getByRole('button', { name: 'Delete' }).click()
  await row.getByRole('button', { name: 'Yes, delete' }).click()
  await expect(row).toHaveCount(0)
  const pods = (await (await fetch(`${kure.control}/kube/pods?namespace=shop`)).json()) as string[]
  expect(pods).not.toContain(podName)
})
