// apply -f and get -o: files of resources made real by kind and name, idempotently, and read back.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, type CliResult } from '../support/cli.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { scratchDir } from '../support/scratch.ts';

let server: TestServer;
const team = 'cli-apply';

before(async () => {
  server = await startServer('sqlite', { engine: { workers: 2 } });
  await server.call('POST', '/api/v1/teams', { token: server.adminToken, body: { name: team } });
});
after(() => server.close());

const cli = (args: string[], input?: string) => runCli(server, args, { input });

function succeeded(result: CliResult, what: string): string {
  assert.equal(result.code, 0, `${what} failed: ${result.stderr}`);
  return result.stdout;
}

function file(name: string, text: string): string {
  const path = join(scratchDir('cloudplane-apply-'), name);
  writeFileSync(path, text);
  return path;
}

const stack = `kind: stack
name: web-stack
labels: { tier: web }
---
kind: server
name: web-1
spec:
  command: [sleep, "300"]
`;

/** The engine keeps writing status events; an update is what apply itself would write. */
const updateEvents = async () =>
  (await server.call('GET', `/api/v1/events?team=${team}&limit=5000`, { token: server.adminToken })).body.items.filter(
    (event: { type: string }) => event.type === 'resource.updated',
  ).length;

test('apply creates what a YAML file declares, then is unchanged when run again', async () => {
  const path = file('stack.yaml', stack);
  const first = succeeded(await cli(['apply', '-f', path, '--team', team]), 'first apply');
  assert.match(first, /^\[1\/2\] stack\/web-stack created \(pending\)$/m);
  assert.match(first, /^\[2\/2\] server\/web-1 created \(pending\)$/m);
  const updates = await updateEvents();
  const second = succeeded(await cli(['apply', '-f', path, '--team', team]), 'second apply');
  assert.match(second, /stack\/web-stack unchanged/);
  assert.match(second, /server\/web-1 unchanged/);
  const resources = (await server.call('GET', `/api/v1/teams/${team}/resources`, { token: server.adminToken })).body
    .items;
  assert.equal(resources.filter((r: { metadata: { name: string } }) => r.metadata.name === 'web-1').length, 1);
  assert.equal(await updateEvents(), updates, 'an unchanged apply writes nothing');
});

test('apply updates the labels that changed, and --wait waits for each to settle', async () => {
  const path = file(
    'stack.json',
    JSON.stringify([{ kind: 'server', name: 'web-2', spec: { command: ['sleep', '300'] } }]),
  );
  succeeded(await cli(['apply', '-f', path, '--team', team, '--wait']), 'create');
  const changed = file(
    'changed.json',
    JSON.stringify({ kind: 'server', name: 'web-2', labels: { role: 'db' }, spec: { command: ['sleep', '300'] } }),
  );
  const result = await cli(['apply', '-f', changed, '--team', team, '--wait']);
  assert.match(succeeded(result, 'update'), /^server\/web-2 updated \(active\)$/m);
  const shown = JSON.parse(succeeded(await cli(['get', team, 'server/web-2', '-o', 'json']), 'get'));
  assert.deepEqual(shown.metadata.labels, { role: 'db' });
});

test('get -o yaml prints documents that apply reads back unchanged, from standard input too', async () => {
  const yaml = succeeded(await cli(['get', team, 'server', '-o', 'yaml']), 'get -o yaml');
  assert.match(yaml, /^---$/m, 'one document per resource');
  const again = succeeded(await cli(['apply', '-f', '-'], yaml), 'apply of get output');
  assert.doesNotMatch(again, /created|updated/);
  assert.match(again, /server\/web-1 unchanged/);
});

test('apply of a resource with no team, or an unknown kind, says what is wrong', async () => {
  const path = file('bad.yaml', 'kind: server\nname: lost\n');
  const noTeam = await cli(['apply', '-f', path]);
  assert.equal(noTeam.code, 1);
  assert.equal(noTeam.stderr, 'error: server lost names no team: pass --team\n');
  const unknown = await cli(['apply', '-f', file('kind.yaml', 'kind: vm\nname: x\n'), '--team', team]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^error: unknown kind "vm"; known kinds: .*server/);
});

test('get kind/name finds one outside any namespace, and with -n the one in that namespace', async () => {
  const token = server.adminToken;
  await server.call('POST', `/api/v1/teams/${team}/namespaces`, { token, body: { name: 'staging' } });
  const body = { kind: 'server', name: 'in-ns', namespace: 'staging', spec: { command: ['sleep', '300'] } };
  const made = await server.call('POST', `/api/v1/teams/${team}/resources`, { token, body });
  assert.equal(made.status, 201, made.text);
  const outside = await cli(['get', team, 'server/in-ns']);
  assert.equal(outside.code, 1);
  assert.match(outside.stderr, /no server named in-ns in team cli-apply/);
  const shown = JSON.parse(
    succeeded(await cli(['get', team, 'server/in-ns', '-n', 'staging', '-o', 'json']), 'get -n'),
  );
  assert.equal(shown.metadata.id, made.body.metadata.id);
  const elsewhere = await cli(['get', team, 'server/in-ns', '--namespace', 'prod']);
  assert.equal(elsewhere.code, 1);
  assert.match(elsewhere.stderr, /namespace "prod" does not exist/);
});
