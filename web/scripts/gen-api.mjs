#!/usr/bin/env node
// Generates src/api/schema.d.ts (the dashboard's API types) from openapi.json, the backend's OpenAPI document.
//
//   node scripts/gen-api.mjs                 regenerate the types from the committed openapi.json
//   node scripts/gen-api.mjs --from-backend  first refresh openapi.json with `kure-monitor openapi`
//   node scripts/gen-api.mjs --check         exit 1 when schema.d.ts is not what openapi.json generates
//
// `make api-types` runs the second form. tests/web/test_openapi_snapshot.py fails when openapi.json is stale;
// this script's --check (run by `make test`) fails when the types are. See docs/dashboard.md.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const specPath = resolve(webDir, 'openapi.json')
const typesPath = resolve(webDir, 'src/api/schema.d.ts')
const args = new Set(process.argv.slice(2))

if (args.has('--from-backend')) {
  const cli = resolve(webDir, '../.venv/bin/kure-monitor')
  const command = existsSync(cli) ? cli : 'kure-monitor'
  execFileSync(command, ['openapi', '--output', specPath], { stdio: 'inherit' })
}

export async function generate() {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'))
  const ast = await openapiTS(spec, { alphabetize: true, exportType: true })
  return (
    '// Generated from openapi.json by scripts/gen-api.mjs: do not edit (docs/dashboard.md).\n' +
    astToString(ast)
  )
}

const text = await generate()
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
