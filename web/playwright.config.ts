// Browser tests: Playwright driving Debian's Chromium (Playwright's own browser download is not used) against a
// real `kure-monitor serve` started by tests/browser/harness.py (e2e/global-setup.ts). docs/dashboard.md.
import { defineConfig } from '@playwright/test'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium phones home at start, and the closed network refuses the connections.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // The tests add the Content-Security-Policy to documents they fulfil themselves (e2e/fixtures.ts); Chromium then
  // cannot tell that the document came from 127.0.0.1 and would refuse its WebSocket to 127.0.0.1.
  '--disable-features=LocalNetworkAccessChecks',
]

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  globalTeardown: './e2e/global-teardown.ts',
  // One backend, one browser: the specs share the harness and run in file order.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: 'test-results/playwright',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.KURE_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    trace: 'retain-on-failure',
  },
})
