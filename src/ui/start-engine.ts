import { SemSQL } from '../client';
import { embeddingOrigin } from './lib/embedding-origin';

/**
 * The page's first script (index.html): it starts the engine before the app's code is evaluated,
 * so DuckDB's worker boots while the app mounts. Started from main.ts instead, the worker was
 * created 100–200 ms later on 2 loaded cores (bench case startup). Inside another site's page the
 * app does not run (main.ts says why), so nothing starts.
 */
const framedBy = embeddingOrigin();

/** Whether this page is inside a page of another site. */
export const framedElsewhere: string | null = framedBy !== null && framedBy !== location.origin ? framedBy : null;

// Bench case startup reads this mark: when the DuckDB worker was asked for.
performance.mark('semsql:engine-start');
export const opening: Promise<SemSQL> | null = framedElsewhere === null ? SemSQL.open() : null;
// The app reports a failed start itself, once it has mounted.
opening?.catch(() => {});
