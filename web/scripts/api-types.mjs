// The generation step shared by scripts/gen-api.mjs and the staleness test (src/api/schema.test.ts).
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const specPath = resolve(webDir, 'openapi.json')
export const typesPath = resolve(webDir, 'src/api/schema.d.ts')

export async function generateTypes() {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'))
  const ast = await openapiTS(spec, { alphabetize: true, exportType: true })
  return '// Generated from openapi.json by scripts/gen-api.mjs: do not edit (docs/dashboard.md).\n' + astToString(ast)
}
