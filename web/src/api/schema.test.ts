// @vitest-environment node
// The committed API types are exactly what openapi.json generates (the backend side is
// tests/web/test_openapi_snapshot.py). Fix with `make api-types`.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain .mjs build script without type declarations
import { generateTypes, typesPath } from '../../scripts/api-types.mjs'

describe('generated API types', () => {
  it('are up to date with openapi.json', async () => {
    const expected = (await generateTypes()) as string
    expect(readFileSync(typesPath as string, 'utf8') === expected, 'src/api/schema.d.ts is stale: run `make api-types`').toBe(true)
  })
})
