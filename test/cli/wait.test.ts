// --wait on create, update, delete and act: the CLI follows the change feed until the resource settles.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli, type CliResult } from '../support/cli.ts';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
const team = 'cli-wait';

before(async () => {
  server = await startServer('sqlite', { engine: { workers: 2 } });
  await server.call('POST', '/api/v1/teams', { token: server.adminToken, body: { name: team } });
});
after(() => server.close());

const cli = (args: string[]) => runCli(server, args);

function succeeded(result: CliResult, what: string): string {
  assert.equal(result.code, 0, `${what} failed: ${result.stderr}`);
  return result.stdout;
}

const createJob = (name: string, cmd: string, ...flags: string[]) =>
  cli(['resources', 'create', team, '--kind', 'job', '--name', name, '--spec', JSON.stringify({ cmd }), ...flags]);

test('create --wait follows a job to succeeded, one plain line per state, and prints the settled resource', async () => {
  const result = await createJob('waits-ok', 'true', '--wait');
  const stdout = succeeded(result, 'create --wait');
  assert.match(stdout, /\swaits-ok\s+succeeded\s/);
  const states = [...result.stderr.matchAll(/^\[ *[\d.]+s\] job waits-ok: (\w+)/gm)].map((m) => m[1]);
  assert.equal(states[0], 'pending');
  assert.equal(states.at(-1), 'succeeded');
  assert.doesNotMatch(result.stderr, /\r/, 'no terminal redraws when stderr is not a terminal');
});

test('create --wait of a job that fails exits 1 with its status message', async () => {
  const result = await createJob('waits-bad', 'false', '--wait');
  assert.equal(result.code, 1);
  const message = (
    await server.call('GET', `/api/v1/teams/${team}/resources?name=waits-bad`, { token: server.adminToken })
  ).body.items[0].status.message;
  assert.ok(message, 'the failed job has a message');
  assert.ok(result.stderr.endsWith(`error: job waits-bad failed: ${message}\n`), result.stderr);
});

test('--timeout gives up on a resource still moving and says in which state', async () => {
  const result = await createJob('waits-long', 'sleep 60', '--timeout', '1s');
  assert.equal(result.code, 1);
  assert.match(result.stderr, /error: timed out after 1s: job waits-long is still (pending|provisioning|active)\n$/);
});

test('act --wait returns once the action is carried out; delete --wait once the resource is gone', async () => {
  const created = JSON.parse(
    succeeded(
      await cli([
        'resources',
        'create',
        team,
        '--kind',
        'server',
        '--name',
        'waits-vm',
        '--spec',
        '{"command":["sleep","300"]}',
        '--wait',
        '--json',
      ]),
      'create server',
    ),
  );
  assert.equal(created.status.state, 'active');
  const id = created.metadata.id;
  assert.match(
    succeeded(await cli(['act', team, id, 'stop', '--wait']), 'act stop'),
    /stop done for waits-vm \(now stopped\)/,
  );
  assert.match(
    succeeded(await cli(['resources', 'act', team, id, 'start', '--wait']), 'resources act start'),
    /now active/,
  );
  const deleted = succeeded(await cli(['resources', 'delete', team, id, '--wait']), 'delete --wait');
  assert.match(deleted, /\swaits-vm\s+deleted\s/);
});

test('update --wait merges a spec key and follows the new generation', async () => {
  const created = JSON.parse(
    succeeded(
      await cli([
        'resources',
        'create',
        team,
        '--kind',
        'server',
        '--name',
        'waits-update',
        '--spec',
        '{"command":["sleep","300"]}',
        '--label',
        'tier=web',
        '--wait',
        '--json',
      ]),
      'create',
    ),
  );
  const updated = JSON.parse(
    succeeded(
      await cli(['resources', 'update', team, created.metadata.id, '--label', 'tier=db', '--wait', '--json']),
      'update',
    ),
  );
  assert.deepEqual(updated.metadata.labels, { tier: 'db' });
  assert.equal(updated.status.state, 'active');
  await cli(['resources', 'delete', team, created.metadata.id, '--wait']);
});
