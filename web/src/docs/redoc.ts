// /redoc: ReDoc's standalone bundle (redoc 2.x, version pinned by package-lock.json) served from this origin.
import bundleUrl from 'virtual:redoc-standalone'
import { loadScript, specUrl } from './loadScript'

interface RedocWindow {
  Redoc: { init: (spec: string, options: Record<string, unknown>, element: HTMLElement) => void }
}

const element = document.getElementById('redoc') as HTMLElement
await loadScript(bundleUrl)
;(window as unknown as RedocWindow).Redoc.init(specUrl(element), { hideDownloadButton: false }, element)
