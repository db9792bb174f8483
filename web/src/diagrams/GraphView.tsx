// The interactive drawing: cytoscape.js (canvas; zoom, pan, select) with positions from the layered layout.
// Loaded only on the diagrams screen. Keyboard users get the same actions from the object list beside it.
import cytoscape, { type Core, type ElementDefinition } from 'cytoscape'
import { useEffect, useRef } from 'react'
import { EDGE_COLORS, styleOf, type ViewGraph } from './graphModel'
import { layeredLayout } from './layout'

export interface GraphViewProps {
  view: ViewGraph
  selected: string | null
  onSelect: (id: string | null) => void
  onUnfold: (id: string) => void
  label: string
}

function elements(view: ViewGraph): ElementDefinition[] {
  const positions = layeredLayout(view)
  return [
    ...view.nodes.map((node) => {
      const style = styleOf(node.kind)
      return {
        group: 'nodes' as const,
        data: { id: node.id, label: node.label, color: style.color, shape: style.shape, kind: node.kind },
        position: positions.get(node.id) ?? { x: 0, y: 0 },
      }
    }),
    ...view.edges.map((edge) => ({
      group: 'edges' as const,
      data: { id: edge.id, source: edge.source, target: edge.target, color: EDGE_COLORS[edge.kind] ?? '#94a3b8', kind: edge.kind },
    })),
  ]
}

const STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(color)',
      shape: 'data(shape)' as never,
      width: 28,
      height: 28,
      label: 'data(label)',
      'font-size': 9,
      'text-valign': 'bottom',
      'text-margin-y': 3,
      'text-max-width': '110px',
      'text-wrap': 'ellipsis',
      color: '#1b2430',
      'border-width': 1,
      'border-color': '#ffffff',
    },
  },
  { selector: 'node[kind = "PodSet"]', style: { width: 40, height: 40, 'font-weight': 'bold' } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f0a500' } },
  {
    selector: 'edge',
    style: {
      width: 1.2,
      'line-color': 'data(color)',
      'target-arrow-color': 'data(color)',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.7,
      'curve-style': 'straight',
    },
  },
]

export default function GraphView({ view, selected, onSelect, onUnfold, label }: GraphViewProps) {
  const container = useRef<HTMLDivElement>(null)
  const cy = useRef<Core | null>(null)
  const handlers = useRef({ onSelect, onUnfold })
  handlers.current = { onSelect, onUnfold }

  useEffect(() => {
    const element = container.current
    if (!element) return
    element.dataset.ready = 'false'
    const instance = cytoscape({
      container: element,
      elements: elements(view),
      style: STYLE,
      layout: { name: 'preset', fit: true, padding: 30 },
      minZoom: 0.05,
      maxZoom: 3,
      wheelSensitivity: 0.3,
      boxSelectionEnabled: false,
      textureOnViewport: view.nodes.length > 400,
      hideEdgesOnViewport: view.nodes.length > 400,
    })
    instance.on('tap', 'node', (event) => handlers.current.onSelect(event.target.id()))
    instance.on('tap', (event) => {
      if (event.target === instance) handlers.current.onSelect(null)
    })
    instance.on('dbltap', 'node[kind = "PodSet"]', (event) => handlers.current.onUnfold(event.target.id()))
    cy.current = instance
    // For the browser tests: where a node is drawn (they click the canvas like a person).
    ;(element as HTMLDivElement & { kureGraph?: Core }).kureGraph = instance
    instance.ready(() => {
      element.dataset.ready = 'true'
      element.dataset.nodes = String(view.nodes.length)
    })
    return () => {
      instance.destroy()
      cy.current = null
    }
  }, [view])

  useEffect(() => {
    const instance = cy.current
    if (!instance) return
    instance.$(':selected').unselect()
    if (selected) {
      const node = instance.getElementById(selected)
      if (node.nonempty()) {
        node.select()
        const box = node.renderedBoundingBox()
        const visible = box.x2 > 0 && box.x1 < instance.width() && box.y2 > 0 && box.y1 < instance.height()
        if (!visible || instance.zoom() < 0.4) {
          instance.animate({ center: { eles: node }, zoom: Math.max(instance.zoom(), 1) }, { duration: 200 })
        }
      }
    }
  }, [selected, view])

  const zoom = (factor: number) => {
    const instance = cy.current
    if (!instance) return
    instance.zoom({ level: instance.zoom() * factor, renderedPosition: { x: instance.width() / 2, y: instance.height() / 2 } })
  }

  return (
    <div className="stack">
      <div className="row" role="toolbar" aria-label="Diagram view">
        <button type="button" className="secondary" onClick={() => zoom(1.25)} aria-label="Zoom in">
          +
        </button>
        <button type="button" className="secondary" onClick={() => zoom(0.8)} aria-label="Zoom out">
          −
        </button>
        <button type="button" className="secondary" onClick={() => cy.current?.fit(undefined, 30)}>
          Fit
        </button>
        <span className="small muted">Drag to pan, scroll to zoom, click an object to see it.</span>
      </div>
      <div className="graph-canvas" ref={container} role="img" aria-label={label} data-testid="graph-canvas" />
    </div>
  )
}
