import svelte from 'eslint-plugin-svelte';
import svelteParser from 'svelte-eslint-parser';
import tseslint from 'typescript-eslint';

/**
 * The floors of the house (docs/architecture.md): the folders of src/ each folder may import; any
 * other is an error, in .ts and .svelte files alike. The worker entries (workers/) are the
 * composition roots and may import anything; nothing in src/ imports them.
 */
const FLOORS = {
  protocol: [],
  // The option ranges annotations share with settings and widget options (src/protocol/option-ranges.ts).
  sql: ['protocol'],
  bridge: [],
  cache: ['protocol'],
  storage: ['protocol', 'sql'],
  llm: ['protocol', 'sql'],
  db: ['protocol', 'sql', 'bridge'],
  engine: ['protocol', 'sql', 'bridge', 'cache', 'storage', 'llm'],
  client: ['protocol', 'storage', 'llm'],
  ui: ['client', 'protocol', 'sql'],
  embed: ['ui', 'client', 'protocol', 'storage'],
};

/**
 * Rooms of an allowed floor a folder still may not enter: the engine reaches the model provider only
 * through the provider connection's port (src/protocol/model-calls.ts), never its scheduler,
 * batches or the connection itself, which the DuckDB worker's entry builds.
 */
const SEALED = {
  engine: ['llm/scheduler', 'llm/batch', 'llm/connection'],
};

const floorRules = Object.entries(FLOORS).map(([folder, allowed]) => {
  const forbidden = [...Object.keys(FLOORS).filter((f) => f !== folder && !allowed.includes(f)), 'workers'];
  const sealed = SEALED[folder] ?? [];
  return {
    files: [`src/${folder}/**/*.ts`, `src/${folder}/**/*.svelte`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
              message: `src/${folder} may import only ${allowed.length ? allowed.map((a) => `src/${a}`).join(', ') : 'itself'} (docs/architecture.md).`,
            },
            ...sealed.map((room) => ({
              regex: `^(\\.\\./)+${room}(/|$)`,
              message: `src/${folder} reaches src/${room} only through its port in src/protocol (docs/architecture.md).`,
            })),
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['dist/', 'dist-e2e/', 'node_modules/', 'bench/results/', 'test-results/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...svelte.configs['flat/base'],
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parser: svelteParser, parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  ...floorRules,
  // Small modules and functions with one job: a file of src/ or workers/ past 400 lines, or a
  // function past 80, is doing two (issues 15 and 22). Lines are counted as written, comments included.
  {
    files: ['src/**/*.ts', 'src/**/*.svelte', 'workers/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true }],
    },
  },
);
