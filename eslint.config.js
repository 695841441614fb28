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
  sql: [],
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

const floorRules = Object.entries(FLOORS).map(([folder, allowed]) => {
  const forbidden = [...Object.keys(FLOORS).filter((f) => f !== folder && !allowed.includes(f)), 'workers'];
  return {
    files: [`src/${folder}/**/*.ts`, `src/${folder}/**/*.svelte`],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
          message: `src/${folder} may import only ${allowed.length ? allowed.map((a) => `src/${a}`).join(', ') : 'itself'} (docs/architecture.md).`,
        }],
      }],
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
  // Small modules with one job: a file of src/ or workers/ past 400 lines is doing two (issue 15).
  {
    files: ['src/**/*.ts', 'src/**/*.svelte', 'workers/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
);
