#!/usr/bin/env node
// The JavaScript a first visit downloads before the dashboard can draw: the scripts index.html loads and
// everything they import statically, gzip-compressed. Screens loaded on demand (React.lazy) are listed apart.
//   node scripts/size.mjs [--max-kb 250]   exit 1 above the budget (docs/dashboard.md)
import { readFileSync, readdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { gzipSync } from 'node:zlib'

const dist = resolve(import.meta.dirname, '..', 'dist')
const flag = process.argv.indexOf('--max-kb')
const budget = flag >= 0 ? Number(process.argv[flag + 1]) : 250
const html = readFileSync(resolve(dist, 'index.html'), 'utf8')
const entries = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1])

const seen = new Set()
const queue = [...entries]
while (queue.length) {
  const file = queue.shift()
  if (seen.has(file)) continue
  seen.add(file)
  const code = readFileSync(resolve(dist, file), 'utf8')
  // Static imports only: `import ... from "./x.js"` / `import "./x.js"` (dynamic import() is lazy).
  for (const match of code.matchAll(/(?:^|[;\s}])import\s*(?:[^'"()]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) {
    queue.push(`assets/${match[1]}`)
  }
}
const gz = (file) => gzipSync(readFileSync(resolve(dist, file))).length
const initial = [...seen].map((file) => ({ file, bytes: gz(file) })).sort((a, b) => b.bytes - a.bytes)
const total = initial.reduce((sum, f) => sum + f.bytes, 0)
const lazy = readdirSync(resolve(dist, 'assets'))
  .filter((f) => f.endsWith('.js') && !seen.has(`assets/${f}`))
  .map((f) => ({ file: `assets/${f}`, bytes: gz(`assets/${f}`) }))
  .sort((a, b) => b.bytes - a.bytes)
const kb = (n) => `${(n / 1024).toFixed(1)} KB`
console.log(`initial JavaScript (gzip): ${kb(total)} in ${initial.length} files (budget ${budget} KB)`)
for (const f of initial) console.log(`  ${kb(f.bytes).padStart(9)}  ${f.file}`)
console.log('loaded on demand (gzip):')
for (const f of lazy.slice(0, 8)) console.log(`  ${kb(f.bytes).padStart(9)}  ${f.file}`)
if (total > budget * 1024) {
  console.error(`initial JavaScript ${kb(total)} exceeds the ${budget} KB budget`)
  process.exit(1)
}
