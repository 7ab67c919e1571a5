// A PostgreSQL database for one bench run: a fresh database in a given server, or a throwaway cluster.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './servers.ts';

const run = promisify(execFile);
const startScript = fileURLToPath(new URL('../.ci/start-postgres.sh', import.meta.url));
const pgCtl = '/usr/lib/postgresql/15/bin/pg_ctl';

export interface BenchDatabase {
  url: string;
  /** Where the database came from, for the report. */
  origin: string;
  dispose(): Promise<void>;
}

async function onServer(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** BENCH_POSTGRES_URL: a database created in that server for this run and dropped afterwards. */
async function freshDatabaseIn(serverUrl: string): Promise<BenchDatabase> {
  const name = `cloudplane_bench_${process.pid}_${Date.now()}`;
  await onServer(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    origin: `database ${name} on ${url.host}`,
    dispose: () => onServer(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

/** Runs as the postgres user when we are root, as the start script does. */
const asPostgres = (command: string[]) =>
  process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', ...command] : command;

async function throwawayCluster(): Promise<BenchDatabase> {
  // A free port: a test cluster may already hold the script's default one.
  const port = await freePort();
  const { stdout, stderr } = await run('bash', [startScript], {
    env: { ...process.env, PGPORT_FOR_TESTS: String(port) },
    timeout: 300_000,
  });
  const dataDir = /postgres cluster in (\S+)/.exec(stderr)?.[1];
  const url = stdout.trim().split('\n').pop() ?? '';
  if (!dataDir || !url.startsWith('postgres'))
    throw new Error(`unexpected output from ${startScript}:\n${stdout}\n${stderr}`);
  return {
    url,
    origin: `throwaway cluster in ${dataDir}`,
    async dispose() {
      const [command, ...args] = asPostgres([pgCtl, '-D', dataDir, '-m', 'fast', '-w', 'stop']);
      // Ctrl-C reaches the cluster too (same process group) and may have stopped it already.
      await run(command, args).catch(() => {});
      await rm(dirname(dataDir), { recursive: true, force: true });
    },
  };
}

export async function openBenchPostgres(): Promise<BenchDatabase> {
  const given = process.env.BENCH_POSTGRES_URL ?? process.env.CLOUDPLANE_BENCH_POSTGRES_URL;
  return given ? freshDatabaseIn(given) : throwawayCluster();
}
