// YAML with syntax highlighting (highlight.js core + the YAML grammar only, not the 190-language bundle).
import hljs from 'highlight.js/lib/core'
import yaml from 'highlight.js/lib/languages/yaml'
import { useMemo } from 'react'

hljs.registerLanguage('yaml', yaml)

export function YamlBlock({ source, label }: { source: string; label: string }) {
  const html = useMemo(() => hljs.highlight(source, { language: 'yaml' }).value, [source])
  if (!source) return <p className="muted">No manifest.</p>
  return (
    <pre className="block" aria-label={label} tabIndex={0}>
      <code className="hljs language-yaml" dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  )
}
