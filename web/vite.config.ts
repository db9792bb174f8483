/// <reference types="vitest/config" />
// The dashboard and the two API documentation pages are three entries of one build (docs/dashboard.md).
// Every script is an external file: the pages run under `script-src 'self'` with no inline code.
import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const backend = process.env.KURE_BACKEND_URL ?? 'http://127.0.0.1:8000'

export default defineConfig({
  plugins: [react()],
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
