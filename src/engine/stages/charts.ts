import type { StageUse } from '../../sql';
import { records } from './json-values';
import type { StageHandler } from './run-stages';
import { argText as text, quoted, sqlString, stageError, type StageRun } from './stage-run';
import { MAX_SPEC_CHARS, safeSpec, themed, THEME_NAMES } from './vega-spec';

/**
 * THEN TO_VEGALITE, RENDER and ADD_STYLES. The model writes a chart for the rows from their columns
 * and a sample; the chart gets the rows themselves inline (at most MAX_CHART_ROWS) and nothing that
 * loads (vega-spec.ts). The rows pass on unchanged; the chart goes to the page with the result.
 */
const MAX_CHART_ROWS = 5_000;
const SAMPLE_ROWS = 20;

async function toVegaLite(run: StageRun, input: string, use: StageUse): Promise<string> {
  const request = text(use.args[0]);
  if (request === undefined) throw stageError(use, "THEN TO_VEGALITE needs a chart request: TO_VEGALITE 'bar chart of sales by region'");
  const columns = await run.columns(input, use);
  const answer = await run.ask('vegalite_spec', [sqlString(request), sqlString(columns.map((c) => `${c.name} ${c.type}`).join(', '))], use, {
    table: input,
    sample: SAMPLE_ROWS,
  });
  let parsed: unknown;
  try {
    parsed = answer !== null && answer.length <= MAX_SPEC_CHARS ? JSON.parse(answer) : undefined;
  } catch {
    parsed = undefined;
  }
  const spec = safeSpec(parsed);
  if (spec === undefined)
    throw stageError(
      use,
      `THEN TO_VEGALITE: the model did not write a Vega-Lite spec (a JSON object of at most ${MAX_SPEC_CHARS} characters): ${String(answer).slice(0, 200)}`,
    );
  const data = await run.read(`SELECT * FROM ${quoted(input)} LIMIT ${MAX_CHART_ROWS}`, use);
  run.visual = { kind: 'vega-lite', spec: { ...spec, data: { values: records(data.columns, data.rows) } } };
  return input;
}

/** The chart the stage before made: RENDER and ADD_STYLES work on it. */
function chartOf(run: StageRun, use: StageUse) {
  const visual = run.visual;
  if (visual?.kind !== 'vega-lite') throw stageError(use, `THEN ${use.stage.name} works on a chart: write THEN TO_VEGALITE '...' before it`);
  return visual;
}

async function render(run: StageRun, input: string, use: StageUse): Promise<string> {
  const visual = chartOf(run, use);
  const [width = 800, height = 600, scale = 2] = use.args.map((a) => Number(text(a)));
  if (![width, height, scale].every((n) => Number.isFinite(n) && n > 0 && n <= 4096))
    throw stageError(use, 'THEN RENDER takes a width and height in pixels (and a scale), each from 1 to 4096: RENDER(800, 600)');
  run.visual = { ...visual, spec: { ...visual.spec, width, height, autosize: { type: 'fit', contains: 'padding' } }, render: { width, height, scale } };
  return input;
}

async function addStyles(run: StageRun, input: string, use: StageUse): Promise<string> {
  const visual = chartOf(run, use);
  const theme = (text(use.args[0]) ?? 'auto').toLowerCase();
  if (!THEME_NAMES.includes(theme)) throw stageError(use, `THEN ADD_STYLES knows the themes ${THEME_NAMES.join(', ')}; '${theme}' is not one`);
  const customText = text(use.args[1]);
  let custom: unknown;
  try {
    custom = customText === undefined ? undefined : JSON.parse(customText);
  } catch {
    throw stageError(use, `THEN ADD_STYLES: the custom config is not JSON: ${customText}`);
  }
  // LARS keys theme overrides by library ({"vegalite": {...}}); a bare object is the config itself.
  const own = custom !== null && typeof custom === 'object' && 'vegalite' in custom ? (custom as Record<string, unknown>)['vegalite'] : custom;
  run.visual = { ...visual, spec: themed(visual.spec, theme, own), theme };
  return input;
}

export const CHART_STAGES: Readonly<Record<string, StageHandler>> = { TO_VEGALITE: toVegaLite, RENDER: render, ADD_STYLES: addStyles };
