/**
 * A Vega-Lite spec the model wrote, made safe to draw: the chart may show only the rows semsql gives
 * it, so every way a spec can reach out is removed — `data`/`datasets` (the rows are set inline), any
 * `url` (data, images, topojson), the `href` channel (links), image marks, and bound inputs. What is
 * left is marks, encodings, transforms over the inline rows, scales and styling. The page also draws
 * it with a loader that refuses every load (src/ui/results/VisualView.svelte): two locks, one key each.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const DROPPED_KEYS = new Set(['data', 'datasets', 'url', 'href', 'usermeta', '$schema', 'bind', 'loader', 'config_url']);
/** A URL in any of its shapes: a scheme, `//host`, `://` inside, or a CSS url(). */
const URLISH = /^\s*(?:(?:https?|data|javascript|vbscript|file|ftp|blob|wss?|mailto):|\/\/)|:\/\/|url\s*\(/i;
const MAX_DEPTH = 32;
/** A spec is a page of JSON at most; larger is not a chart a model meant. */
export const MAX_SPEC_CHARS = 100_000;

function clean(value: unknown, depth: number): Json | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  // A string that is a URL (http:, data:, javascript:, //host) has no place in a chart without data.
  if (typeof value === 'string') return URLISH.test(value) ? undefined : value;
  if (Array.isArray(value)) return value.map((v) => clean(v, depth + 1)).filter((v): v is Json => v !== undefined);
  if (typeof value !== 'object') return undefined;
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (DROPPED_KEYS.has(key) || key === '__proto__') continue;
    const kept = clean(v, depth + 1);
    if (kept !== undefined) out[key] = kept;
  }
  // An image mark draws pictures from URLs: drawn as points instead.
  if (out['mark'] === 'image') out['mark'] = 'point';
  const mark = out['mark'];
  if (mark !== null && typeof mark === 'object' && !Array.isArray(mark) && mark['type'] === 'image') mark['type'] = 'point';
  return out;
}

/** The spec without anything that could load or link; undefined when it is not a JSON object. */
export function safeSpec(spec: unknown): Record<string, Json> | undefined {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return undefined;
  const out = clean(spec, 0);
  return out !== null && typeof out === 'object' && !Array.isArray(out) ? out : undefined;
}

const THEMES: Readonly<Record<string, Record<string, Json>>> = {
  dark: {
    background: '#1b1d23',
    title: { color: '#e8e8ea' },
    axis: { domainColor: '#8a8d96', gridColor: '#34373f', tickColor: '#8a8d96', labelColor: '#c9cbd1', titleColor: '#e8e8ea' },
    legend: { labelColor: '#c9cbd1', titleColor: '#e8e8ea' },
    view: { stroke: '#34373f' },
  },
  light: {
    background: '#ffffff',
    title: { color: '#1d1f24' },
    axis: { domainColor: '#6b6f78', gridColor: '#e4e6ea', labelColor: '#3b3e45', titleColor: '#1d1f24' },
  },
  midnight: {
    background: '#0b1021',
    title: { color: '#dfe6ff' },
    axis: { domainColor: '#5a6a9a', gridColor: '#1c2645', tickColor: '#5a6a9a', labelColor: '#aab6e0', titleColor: '#dfe6ff' },
    legend: { labelColor: '#aab6e0', titleColor: '#dfe6ff' },
    view: { stroke: '#1c2645' },
    range: { category: ['#7aa2ff', '#ff9ecf', '#7de3c3', '#ffd27a', '#c49bff', '#6fd3ff'] },
  },
  paper: {
    background: '#f6f1e4',
    font: 'Georgia, serif',
    title: { color: '#2b2620', font: 'Georgia, serif' },
    axis: {
      domainColor: '#7a6f5d',
      gridColor: '#e3dac6',
      labelColor: '#4a4236',
      titleColor: '#2b2620',
      labelFont: 'Georgia, serif',
      titleFont: 'Georgia, serif',
    },
    range: { category: ['#8c5a3c', '#3c6e8c', '#6b8c3c', '#8c3c6b', '#c08b2c'] },
  },
  auto: {},
};

export const THEME_NAMES: readonly string[] = Object.keys(THEMES);

function merge(base: Json | undefined, more: Json): Json {
  if (base === null || typeof base !== 'object' || Array.isArray(base) || more === null || typeof more !== 'object' || Array.isArray(more)) return more;
  const out: { [key: string]: Json } = { ...base };
  for (const [k, v] of Object.entries(more)) out[k] = merge(out[k], v);
  return out;
}

/** The spec with a theme's config (and the user's own, cleaned like a model's) merged into its `config`. */
export function themed(spec: Record<string, unknown>, theme: string, custom?: unknown): Record<string, unknown> {
  const base = THEMES[theme] ?? {};
  const own = custom === undefined ? {} : (safeSpec(custom) ?? {});
  const config = safeSpec(spec['config']) ?? {};
  return { ...spec, config: merge(merge(config, base), own) };
}
