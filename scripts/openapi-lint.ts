// `npm run openapi:lint`: serves the app on a temporary SQLite database, fetches /openapi.json as a client
// generator would, and lints it with Redocly's recommended rules (redocly.yaml). Exits non-zero on an error.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load.ts';
import { buildApp } from '../src/server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface LintResult {
  errors: number;
  warnings: number;
  /** Redocly's own report, one problem per entry. */
  output: string;
  exitCode: number;
}

/** The document a running server answers at /openapi.json, from a fresh app on a temporary SQLite. */
export async function fetchServedDocument(): Promise<unknown> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudplane-openapi-'));
  const config = loadConfig({
    env: {},
    overrides: {
      database: { url: '', sqlitePath: join(dir, 'cloudplane.db') },
      bootstrap: { adminPassword: 'openapi-lint-only' },
      engine: { workers: 0, stateDir: join(dir, 'state') },
      pki: { dir: join(dir, 'pki') },
      server: { host: '127.0.0.1', port: 0 },
      dialects: { concertim: { port: 0 } },
      log: { level: 'silent' },
    },
  });
  const app = await buildApp(config, { announce: () => {} });
  try {
    await app.http.listen({ host: '127.0.0.1', port: 0 });
    const address = app.http.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const response = await fetch(`http://127.0.0.1:${port}/openapi.json`);
    if (!response.ok) throw new Error(`GET /openapi.json: ${response.status}`);
    return await response.json();
  } finally {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the Redocly CLI (a child process, with this repository's redocly.yaml) on `document`. */
export async function lintDocument(document: unknown): Promise<LintResult> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudplane-openapi-'));
  const file = join(dir, 'openapi.json');
  await writeFile(file, JSON.stringify(document, null, 2));
  try {
    const cli = join(root, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const args = [
      cli,
      'lint',
      file,
      '--config',
      join(root, 'redocly.yaml'),
      '--format',
      'stylish',
      '--max-problems',
      '10000',
    ];
    const child = spawn(process.execPath, args, {
      cwd: root,
      // No telemetry nor update check: CI and tests run offline.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exitCode: number = await new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)));
    return { errors: count(output, 'error'), warnings: count(output, 'warning'), output, exitCode };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Redocly's summary line: "❌ Validation failed with 3 errors and 2 warnings." or "Woohoo! ... 1 warning." */
function count(output: string, word: 'error' | 'warning'): number {
  const match = output.match(new RegExp(`(\\d+) ${word}s?\\b`));
  return match ? Number(match[1]) : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await lintDocument(await fetchServedDocument());
  process.stdout.write(result.output);
  console.log(`openapi:lint: ${result.errors} errors, ${result.warnings} warnings`);
  process.exit(result.errors > 0 || result.exitCode !== 0 ? 1 : 0);
}
