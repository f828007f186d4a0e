// ESLint's flat config: the recommended rules (without type information, so a run over the repository stays fast)
// and the layer rules between the top-level folders (README, "Architecture"; test/architecture/layers.test.ts
// asserts the same graph over every relative import, dynamic ones included).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Top-level folders of product code, each allowed to import only the layers before it. */
const layers = {
  shared: { forbidden: ['store', 'connectors', 'activities', 'workflows', 'worker', 'api', 'emulators'], typeOnly: [] },
  store: { forbidden: ['connectors', 'activities', 'workflows', 'worker', 'api', 'emulators'], typeOnly: [] },
  connectors: { forbidden: ['activities', 'workflows', 'worker', 'api', 'emulators'], typeOnly: [] },
  activities: { forbidden: ['workflows', 'worker', 'api', 'emulators'], typeOnly: [] },
  // Workflow code names its activities' types only: their code runs on the worker, outside the sandbox.
  workflows: { forbidden: ['worker', 'api', 'emulators'], typeOnly: ['activities'] },
  worker: { forbidden: ['api', 'emulators'], typeOnly: [] },
  api: { forbidden: ['activities', 'worker', 'emulators'], typeOnly: ['workflows'] },
  emulators: { forbidden: ['store', 'connectors', 'activities', 'workflows', 'worker', 'api'], typeOnly: [] },
};

/** Deepest folder nesting below a top-level folder that the layer rules cover (api/console/pages is 2). */
const maxDepth = 5;

function layerRules() {
  const blocks = [];
  for (const [folder, { forbidden, typeOnly }] of Object.entries(layers)) {
    for (let depth = 0; depth <= maxDepth; depth++) {
      // A relative import leaves the folder when it climbs one level more than the file is deep.
      const up = '\\.\\./'.repeat(depth + 1);
      const patterns = [];
      if (forbidden.length > 0) {
        patterns.push({
          regex: `^${up}(${forbidden.join('|')})(/|$)`,
          message: `Layer rule: ${folder}/ may not import ${forbidden.join(', ')} (README, "Architecture"; shared contracts go in shared/).`,
        });
      }
      if (typeOnly.length > 0) {
        patterns.push({
          regex: `^${up}(${typeOnly.join('|')})(/|$)`,
          allowTypeImports: true,
          message: `Layer rule: ${folder}/ may import ${typeOnly.join(', ')} with \`import type\` only (README, "Architecture").`,
        });
      }
      blocks.push({
        files: [`${folder}/${'*/'.repeat(depth)}*.{ts,tsx}`],
        rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
      });
    }
  }
  return blocks;
}

export default defineConfig(
  {
    ignores: ['bench/results/', 'test/fixtures/', 'test/artifacts/', 'data/', 'dist/', '.temporal-cli/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // `let x = fallback; try { x = read() } catch { ... }` is how the code reads files that may be missing.
      'no-useless-assignment': 'off',
      // Unused arguments of callbacks and destructured leftovers are named with a leading underscore.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    // The admin console's scripts run in the browser (served as they are, no bundler).
    files: ['api/console/assets/*.js'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        Element: 'readonly',
        HTMLFormElement: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
  {
    // Tests read JSON answers loosely typed and assert on them.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  ...layerRules(),
);
