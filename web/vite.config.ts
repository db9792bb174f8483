/// <reference types="vitest/config" />
// The dashboard and the two API documentation pages are three entries of one build (docs/dashboard.md).
// Every script is an external file: the pages run under `script-src 'self'` with no inline code.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const backend = process.env.KURE_BACKEND_URL ?? 'http://127.0.0.1:8000'

/**
 * ReDoc's standalone bundle, emitted as a hashed asset without its one request to another host: the sidebar's
 * "API docs by Redocly" logo comes from a CDN. With the URL emptied the image hides itself (its onError), and
 * /redoc loads nothing from outside the backend. `import url from 'virtual:redoc-standalone'`.
 */
function redocOffline(): Plugin {
  const virtual = 'virtual:redoc-standalone'
  const bundle = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js')
  let serving = false
  return {
    name: 'kure-redoc-offline',
    configResolved(config) {
      serving = config.command === 'serve'
    },
    resolveId: (source) => (source === virtual ? `\0${virtual}` : null),
    load(id) {
      if (id !== `\0${virtual}`) return null
      if (serving) return `export default ${JSON.stringify(`/@fs${bundle}`)}`
      const source = readFileSync(bundle, 'utf8').replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', '')
      const reference = this.emitFile({ type: 'asset', name: 'redoc.standalone.js', source })
      return `export default import.meta.ROLLUP_FILE_URL_${reference}`
    },
  }
}

export default defineConfig({
  plugins: [react(), redocOffline()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Swagger UI and ReDoc are large by nature; they are only loaded on /docs and /redoc.
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        docs: resolve(import.meta.dirname, 'docs.html'),
        redoc: resolve(import.meta.dirname, 'redoc.html'),
      },
    },
  },
  server: {
    // `npm run dev`: the backend answers the API; the Host header is kept so the CSRF Origin rule holds.
    proxy: {
      '/api': { target: backend, ws: true },
      '/openapi.json': backend,
      '/health': backend,
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
})
