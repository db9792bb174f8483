// /docs: Swagger UI (swagger-ui-dist, version pinned by package-lock.json) served from this origin.
import bundleUrl from 'swagger-ui-dist/swagger-ui-bundle.js?url'
import 'swagger-ui-dist/swagger-ui.css'
import { loadScript, specUrl } from './loadScript'

interface SwaggerWindow {
  SwaggerUIBundle: ((options: Record<string, unknown>) => unknown) & { presets: { apis: unknown } }
}

const element = document.getElementById('swagger-ui') as HTMLElement
await loadScript(bundleUrl)
const { SwaggerUIBundle } = window as unknown as SwaggerWindow
SwaggerUIBundle({
  url: specUrl(element),
  domNode: element,
  presets: [SwaggerUIBundle.presets.apis],
  deepLinking: true,
  // Calls from "Try it out" carry the session cookie like the dashboard's own requests.
  withCredentials: true,
  // No call to the public validator service: the page works offline and sends the document nowhere.
  validatorUrl: null,
})
