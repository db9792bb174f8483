#!/usr/bin/env node
// Generates src/api/schema.d.ts (the dashboard's API types) from openapi.json, the backend's OpenAPI document.
//
//   node scripts/gen-api.mjs                 regenerate the types from the committed openapi.json
//   node scripts/gen-api.mjs --from-backend  first refresh openapi.json with `kure-monitor openapi`
//   node scripts/gen-api.mjs --check         exit 1 when schema.d.ts is not what openapi.json generates
//
// `make api-types` runs the second form. tests/web/test_openapi_snapshot.py fails when openapi.json is stale;
// src/api/schema.test.ts (Vitest) and --check fail when the types are. See docs/dashboard.md.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { generateTypes, specPath, typesPath, webDir } from './api-types.mjs'

const args = new Set(process.argv.slice(2))

if (args.has('--from-backend')) {
  const cli = resolve(webDir, '../.venv/bin/kure-monitor')
  execFileSync(existsSync(cli) ? cli : 'kure-monitor', ['openapi', '--output', specPath], { stdio: 'inherit' })
}

const text = await generateTypes()
if (args.has('--check')) {
  const current = existsSync(typesPath) ? readFileSync(typesPath, 'utf8') : ''
  if (current !== text) {
    console.error('src/api/schema.d.ts is stale: run `make api-types` (or `npm run gen:api`) and commit it')
    process.exit(1)
  }
  console.log('API types match openapi.json')
} else {
  writeFileSync(typesPath, text)
  console.log(`wrote ${typesPath}`)
}
