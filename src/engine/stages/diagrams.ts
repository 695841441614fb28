import type { StageUse } from '../../sql';
import type { StageHandler } from './run-stages';
import { argText, quoted, sqlString, stageError, type StageRun } from './stage-run';

/**
 * THEN MERMAID_TIMELINE, MERMAID_TRIPLES and TO_PROPERTY_GRAPH: no model call, the rows' values laid
 * out. Mermaid source is written here from the values, each escaped so that no value can end a label
 * or start a statement of the diagram's language; the page draws it with Mermaid's strict security
 * level, as an image.
 */
const MAX_ITEMS = 200;
const MAX_LABEL = 80;

/** A value as one line of label text, without the characters Mermaid's syntax gives meaning to. */
function label(value: unknown): string {
  const text = String(value ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_LABEL);
  // Entity codes are Mermaid's own escapes: the label reads the same, the syntax sees no quote or bracket.
  return text.replace(/[#"<>[\](){}|;`%]/g, (c) => `#${c.charCodeAt(0)};`);
}

/** Timeline periods and events are split at colons: a colon inside one is written as a look-alike. */
const timelineText = (value: unknown): string => label(value).replace(/:/g, '\u2236');

async function column(run: StageRun, input: string, use: StageUse, wanted: string, fallback: string): Promise<string> {
  const columns = await run.columns(input, use);
  const name = wanted === '' ? fallback : wanted;
  const found = columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  if (found === undefined)
    throw stageError(
      use,
      `THEN ${use.stage.name}: the rows have no column ${name} (they have ${columns.map((c) => c.name).join(', ')}); name it: ${use.stage.name}(${use.stage.args})`,
    );
  return found.name;
}

/** The diagram as the result (one row, `mermaid`) and as the visual the page draws. */
async function diagram(run: StageRun, use: StageUse, source: string): Promise<string> {
  run.visual = { kind: 'mermaid', source };
  return run.materialize(`SELECT ${sqlString(source)} AS mermaid`, use);
}

async function mermaidTimeline(run: StageRun, input: string, use: StageUse): Promise<string> {
  const when = await column(run, input, use, argText(use.args[0]) ?? '', 'timestamp');
  const what = await column(run, input, use, argText(use.args[1]) ?? '', 'event');
  const { rows } = await run.read(`SELECT ${quoted(when)}, ${quoted(what)} FROM ${quoted(input)} LIMIT ${MAX_ITEMS}`, use);
  const lines = rows.filter((r) => r[1] !== null).map((r) => `    ${timelineText(r[0] ?? 'undated') || 'undated'} : ${timelineText(r[1])}`);
  return diagram(run, use, ['timeline', '    title Timeline', ...lines].join('\n'));
}

async function mermaidTriples(run: StageRun, input: string, use: StageUse): Promise<string> {
  const [s, p, o] = [argText(use.args[0]) ?? '', argText(use.args[1]) ?? '', argText(use.args[2]) ?? ''];
  const subject = await column(run, input, use, s, 'subject');
  const predicate = await column(run, input, use, p, 'predicate');
  const object = await column(run, input, use, o, 'object');
  const direction = (argText(use.args[3]) ?? 'LR').toUpperCase();
  if (!['LR', 'RL', 'TB', 'BT', 'TD'].includes(direction)) throw stageError(use, `THEN MERMAID_TRIPLES: the direction is LR, RL, TB or BT, not ${direction}`);
  const { rows } = await run.read(`SELECT ${quoted(subject)}, ${quoted(predicate)}, ${quoted(object)} FROM ${quoted(input)} LIMIT ${MAX_ITEMS}`, use);
  const ids = new Map<string, string>();
  const node = (value: unknown) => {
    const key = String(value ?? '');
    let id = ids.get(key);
    if (id === undefined) {
      id = `n${ids.size + 1}`;
      ids.set(key, id);
    }
    return `${id}["${label(value)}"]`;
  };
  const edges = rows.filter((r) => r[0] !== null && r[2] !== null).map((r) => `    ${node(r[0])} -- "${label(r[1])}" --> ${node(r[2])}`);
  return diagram(run, use, [`graph ${direction}`, ...edges].join('\n'));
}

async function toPropertyGraph(run: StageRun, input: string, use: StageUse): Promise<string> {
  const name = argText(use.args[0]) ?? 'graph';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw stageError(use, `THEN TO_PROPERTY_GRAPH: '${name}' is not a table name (letters, digits and _)`);
  const subject = quoted(await column(run, input, use, '', 'subject'));
  const predicate = quoted(await column(run, input, use, '', 'predicate'));
  const object = quoted(await column(run, input, use, '', 'object'));
  const hasEvidence = (await run.columns(input, use)).some((c) => c.name.toLowerCase() === 'evidence');
  const nodes = quoted(`${name}_nodes`);
  const edges = quoted(`${name}_edges`);
  const from = quoted(input);
  await run.write(
    `CREATE OR REPLACE TABLE ${nodes} AS SELECT CAST(row_number() OVER (ORDER BY label) AS INTEGER) AS id, label, CAST(count(*) AS INTEGER) AS degree FROM (SELECT CAST(${subject} AS VARCHAR) AS label FROM ${from} UNION ALL SELECT CAST(${object} AS VARCHAR) FROM ${from}) WHERE label IS NOT NULL GROUP BY label`,
    use,
  );
  await run.write(
    `CREATE OR REPLACE TABLE ${edges} AS SELECT CAST(row_number() OVER (ORDER BY s.id, o.id, e.${predicate}) AS INTEGER) AS id, s.id AS source, o.id AS target, CAST(e.${predicate} AS VARCHAR) AS predicate, ${hasEvidence ? 'CAST(e.evidence AS VARCHAR)' : 'CAST(NULL AS VARCHAR)'} AS evidence FROM ${from} AS e JOIN ${nodes} AS s ON s.label = CAST(e.${subject} AS VARCHAR) JOIN ${nodes} AS o ON o.label = CAST(e.${object} AS VARCHAR)`,
    use,
  );
  return run.materialize(
    `SELECT e.id, e.source, s.label AS source_label, e.predicate, e.target, o.label AS target_label, e.evidence FROM ${edges} AS e JOIN ${nodes} AS s ON s.id = e.source JOIN ${nodes} AS o ON o.id = e.target ORDER BY e.id`,
    use,
  );
}

export const DIAGRAM_STAGES: Readonly<Record<string, StageHandler>> = {
  MERMAID_TIMELINE: mermaidTimeline,
  MERMAID_TRIPLES: mermaidTriples,
  TO_PROPERTY_GRAPH: toPropertyGraph,
};
