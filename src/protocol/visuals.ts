/**
 * A chart or diagram a pipeline stage made for a result (THEN TO_VEGALITE, RENDER, ADD_STYLES,
 * MERMAID_TIMELINE, MERMAID_TRIPLES): data for the page's Chart view, never markup. The page draws a
 * Vega-Lite spec with a loader that fetches nothing, and a Mermaid diagram as an image.
 */
export interface VegaLiteVisual {
  kind: 'vega-lite';
  /** A Vega-Lite specification with its rows inline (`data.values`) and no URL anywhere. */
  spec: Record<string, unknown>;
  /** THEN RENDER: drawn as a PNG image of this size. */
  render?: { width: number; height: number; scale: number };
  /** THEN ADD_STYLES: a named theme; its config is already merged into the spec. */
  theme?: string;
}

export interface MermaidVisual {
  kind: 'mermaid';
  /** Mermaid source semsql wrote from the rows (labels escaped). */
  source: string;
}

export type ResultVisual = VegaLiteVisual | MermaidVisual;
