// Markdown from the rules engine or an LLM, rendered and sanitised (DOMPurify) before it reaches the DOM.
import DOMPurify from 'dompurify'
import { marked } from 'marked'
import { useMemo } from 'react'

export function renderMarkdown(source: string): string {
  const html = marked.parse(source, { async: false, gfm: true, breaks: false }) as string
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'img'] })
}

export function Markdown({ source }: { source: string }) {
  const html = useMemo(() => renderMarkdown(source), [source])
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />
}
