// Lint rules: the recommended sets for JavaScript and TypeScript, plus the layering of src/ (DESIGN.md):
// a folder may import only the folders below it, no file imports itself back through a cycle, and
// only the store speaks SQL.
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** src/ from the ground up; each may import only those before it (cli talks HTTP and stands apart). */
const layers = [
  'lib',
  'store',
  'config',
  'domain',
  'identity',
  'events',
  'pki',
  'keypairs',
  'resources',
  'billing',
  'stats',
  'drivers',
  'engine',
  'api',
  'dialects',
  'console',
];
const roots = ['core.ts', 'worker.ts', 'server.ts', 'main.ts'];

const zones = layers.map((layer, index) => ({
  target: `./src/${layer}`,
  from: [...layers.slice(index + 1), ...roots, 'cli'].map((above) => `./src/${above}`),
  message: `${layer}/ stands below what it imports here: see the layers in DESIGN.md`,
}));
// Services never reach into the engine, the drivers or an HTTP surface (the drivers' contract types aside).
zones.push({
  target: './src/{identity,events,pki,keypairs,resources,billing,stats}',
  from: './src/drivers',
  except: [],
  message: 'services do not import drivers',
});
// The browser code is the top layer: the server bundles web/ by its path and imports nothing from it, and
// the console reaches the server over HTTP only (web/src/api/client.ts).
zones.push({ target: './src', from: './web', message: 'web/ is browser code; the server only bundles it' });
zones.push({ target: './web', from: ['./src', './bin'], message: 'the console talks to the server over HTTP only' });
zones.push({
  target: './src/cli',
  from: layers.filter((layer) => layer !== 'config').map((layer) => `./src/${layer}`),
  message: 'the CLI speaks HTTP to the server; it shares no service code',
});

export default tseslint.config(
  { ignores: ['node_modules/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts', 'web/**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js'] })],
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'kysely', message: 'SQL lives in src/store/ only' },
            { name: 'pg', message: 'SQL lives in src/store/ only' },
            { name: 'node:sqlite', message: 'SQL lives in src/store/ only' },
          ],
        },
      ],
    },
  },
  {
    // Tests read arbitrary JSON responses; typing every body would only restate the API schemas.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
