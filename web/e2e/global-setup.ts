// Starts tests/browser/harness.py (fake Kubernetes API, fake LLM and webhook, `kure-monitor serve` on the real
// MongoDB-wire server and Neo4j) and waits for the URLs it writes. The harness's output goes to its log file.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const WEB_DIR = resolve(import.meta.dirname, '..')
export const ROOT = resolve(WEB_DIR, '..')
export const RUN_DIR = resolve(WEB_DIR, 'test-results')
export const STATE_FILE = resolve(RUN_DIR, 'harness.json')
export const PID_FILE = resolve(RUN_DIR, 'harness.pid')

export default async function globalSetup(): Promise<void> {
  mkdirSync(RUN_DIR, { recursive: true })
  rmSync(STATE_FILE, { force: true })
  const python = process.env.KURE_PYTHON ?? resolve(ROOT, '.venv/bin/python')
  const log = openSync(resolve(RUN_DIR, 'harness.log'), 'w')
  const child = spawn(python, ['-m', 'tests.browser.harness', '--state-file', STATE_FILE, '--work-dir', resolve(RUN_DIR, 'harness')], {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', log, log],
    detached: true,
  })
  writeFileSync(PID_FILE, String(child.pid))
  child.unref()
  const deadline = Date.now() + 180_000
  while (!existsSync(STATE_FILE)) {
    if (child.exitCode !== null) {
      throw new Error(`the harness exited with ${child.exitCode}:\n${readFileSync(resolve(RUN_DIR, 'harness.log'), 'utf8')}`)
    }
    if (Date.now() > deadline) throw new Error('the harness did not start within 180 s (see web/test-results/harness.log)')
    await new Promise((r) => setTimeout(r, 250))
  }
}
