import type { MermaidVisual, VegaLiteVisual } from '../../client';

/**
 * Draws the charts and diagrams pipeline stages make (src/protocol/visuals.ts). What the model wrote is
 * data here, never markup the page trusts:
 * - Vega-Lite: the spec carries its rows inline and nothing that loads (the engine strips it:
 *   src/engine/stages/vega-spec.ts); here vega-embed also gets a loader that refuses every load, so
 *   a URL that slipped through fetches nothing. Vega's expressions are interpreted (the app's CSP
 *   forbids eval), and its expression language has no way to run script.
 * - Mermaid: the source is semsql's own, written from the rows with every label escaped; Mermaid
 *   renders it at securityLevel 'strict' (labels sanitised, no click handlers) with SVG text labels
 *   (no HTML), and the SVG is shown as an <img> from a blob URL: an image runs no script and loads
 *   nothing, whatever the SVG holds. Sandboxing an iframe would do the same at the cost of sizing
 *   and styling it; an image is the simpler lock.
 * Both libraries are imported on first use (about 0.9 MB and 2.6 MB of script before gzip), so a
 * page that never draws one never downloads them.
 */

const refuse = (): Promise<never> => Promise.reject(new Error('semsql charts draw only the rows they were given; nothing is loaded'));
const NO_LOADS = { load: refuse, sanitize: refuse, http: refuse, file: refuse };

export interface Drawn {
  node: Element;
  dispose(): void;
}

export async function drawVegaLite(visual: VegaLiteVisual, dark: boolean, label: string): Promise<Drawn> {
  const [{ default: embed }, { expressionInterpreter }] = await Promise.all([import('vega-embed'), import('vega-interpreter')]);
  const host = document.createElement('div');
  // Themes the spec chose (ADD_STYLES) are in its config; otherwise it follows the app's.
  const theme = visual.theme === undefined || visual.theme === 'auto' ? (dark ? 'dark' : undefined) : undefined;
  // The app's CSP allows no eval: Vega's expressions run in its interpreter instead of compiled code.
  const drawn = await embed(host, visual.spec as never, {
    actions: false,
    renderer: 'svg',
    loader: NO_LOADS as never,
    ast: true,
    expr: expressionInterpreter,
    ...(theme ? { theme } : {}),
    ...(visual.theme === undefined || visual.theme === 'auto' ? { config: { background: 'transparent' } } : {}),
  });
  if (visual.render === undefined) {
    const svg = host.querySelector('svg');
    svg?.setAttribute('role', 'img');
    svg?.setAttribute('aria-label', label);
    return { node: host, dispose: () => drawn.finalize() };
  }
  // THEN RENDER: a PNG image at the size asked for.
  const url = await drawn.view.toImageURL('png', visual.render.scale);
  drawn.finalize();
  const img = document.createElement('img');
  img.src = url;
  img.alt = label;
  img.width = visual.render.width;
  img.height = visual.render.height;
  return { node: img, dispose: () => {} };
}

let diagrams = 0;

export async function drawMermaid(visual: MermaidVisual, dark: boolean, label: string): Promise<Drawn> {
  const { default: mermaid } = await import('mermaid');
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', htmlLabels: false, theme: dark ? 'dark' : 'default' });
  const { svg } = await mermaid.render(`semsql-diagram-${++diagrams}`, visual.source);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  const img = document.createElement('img');
  img.src = url;
  img.alt = label;
  return { node: img, dispose: () => URL.revokeObjectURL(url) };
}
