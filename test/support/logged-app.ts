// A cloudplane app (not listening) whose log is kept in memory, for tests of what the log says and never says.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { buildApp, type CloudplaneApp } from '../../src/server.ts';
import { adminPassword } from './server.ts';

export interface LoggedApp {
  app: CloudplaneApp;
  /** Everything logged so far, as written. */
  output(): string;
  /** The log lines, parsed. */
  lines(): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startLoggedApp(overrides: Record<string, Record<string, unknown>> = {}): Promise<LoggedApp> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudplane-log-'));
  const config = loadConfig({
    env: {},
    overrides: {
      ...overrides,
      database: { url: '', sqlitePath: join(dir, 'cloudplane.db') },
      bootstrap: { adminPassword },
      engine: { workers: 0, stateDir: join(dir, 'state') },
      pki: { dir: join(dir, 'pki'), ...overrides.pki },
      dialects: { concertim: { port: 0 } },
      log: { level: 'info', ...overrides.log },
    },
  });
  let written = '';
  const app = await buildApp(config, {
    announce: () => {},
    logStream: { write: (chunk: string) => void (written += chunk) },
  });
  return {
    app,
    output: () => written,
    lines: () =>
      written
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line)),
    async close() {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
