// Loads a classic (UMD) script from this origin. The documentation pages use it for the pinned Swagger UI and
// ReDoc bundles, which Vite copies into the build with a content hash (`?url` imports): no CDN, no inline code.
export function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script')
    script.src = src
    script.onload = () => resolve()
    script.onerror = () => reject(new Error(`could not load ${src}`))
    document.head.appendChild(script)
  })
}

export function specUrl(element: HTMLElement): string {
  return element.dataset.openapi ?? '/openapi.json'
}
