// act, operations, logs and worker from the real CLI against a server whose engine runs real processes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { eventually } from '../support/eventually.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { scratchDir } from '../support/scratch.ts';

const bin = join(import.meta.dirname, '../../bin/cloudplane.js');
let server: TestServer;

before(async () => {
  server = await startServer('sqlite', { engine: { workers: 2 } });
  await server.call('POST', '/api/v1/teams', { token: server.adminToken, body: { name: 'cli-work' } });
});
after(() => server.close());

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CLOUDPLANE_')));
  const extra = {
    CLOUDPLANE_CONFIG_DIR: scratchDir('cloudplane-cli-'),
    CLOUDPLANE_URL: server.url,
    CLOUDPLANE_TOKEN: server.adminToken,
  };
  return new Promise((resolve) =>
    execFile(process.execPath, [bin, ...args], { env: { ...env, ...extra } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const create = async (body: unknown) =>
  (await server.call('POST', '/api/v1/teams/cli-work/resources', { token: server.adminToken, body })).body.metadata
    .id as string;
const state = async (id: string) =>
  (await server.call('GET', `/api/v1/teams/cli-work/resources/${id}`, { token: server.adminToken })).body.status.state;

test('logs prints what a job wrote; --stderr the other stream', async () => {
  const id = await create({
    kind: 'job',
    name: 'talk',
    spec: { cmd: '/bin/sh', args: "-c 'echo to-out; echo to-err >&2'" },
  });
  await eventually(
    () => state(id),
    (s) => s === 'succeeded',
    'job done',
  );
  assert.equal((await run(['logs', 'cli-work', id])).stdout, 'to-out\n');
  assert.equal((await run(['logs', 'cli-work', id, '--stderr'])).stdout, 'to-err\n');
});

test('act stops a server, a forbidden action says what is allowed, operations lists the work', async () => {
  const id = await create({ kind: 'server', name: 'cli-vm', spec: { command: ['sleep', '300'] } });
  await eventually(
    () => state(id),
    (s) => s === 'active',
    'server up',
  );
  const stopped = await run(['act', 'cli-work', id, 'stop']);
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout, /stop accepted for cli-vm/);
  await eventually(
    () => state(id),
    (s) => s === 'stopped',
    'server stopped',
  );
  const refused = await run(['act', 'cli-work', id, 'suspend']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /error: cannot suspend a server that is stopped; allowed now: start/);
  const operations = await run(['operations', 'cli-work', id]);
  assert.match(operations.stdout, /apply +done +1/);
  assert.match(operations.stdout, /action stop +done +1/);
  await run(['act', 'cli-work', id, 'destroy']);
  await eventually(
    () => state(id),
    (s) => s === 'deleted',
    'server deleted',
  );
});
