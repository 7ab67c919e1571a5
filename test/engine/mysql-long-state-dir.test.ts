// A mysql service whose state directory is deep: its socket must not go there, since a Unix socket's path is
// limited to 107 bytes, and the short directory it goes to instead is private and goes with the service.
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { catalogueTestsSkipped, sql } from '../support/catalogue.ts';
import { eventually } from '../support/eventually.ts';
import { scratchDir } from '../support/scratch.ts';
import { startServer, type TestServer } from '../support/server.ts';

const skip = catalogueTestsSkipped();
const base = '/api/v1/teams/deep/resources';
let server: TestServer;
let token = '';

before(async () => {
  if (skip) return;
  // Far past the 107 bytes a socket path may have, before the service's own folders are added.
  const stateDir = path.join(scratchDir('cloudplane-deep-'), 'a-state-directory-deep-in-a-tree'.repeat(4));
  server = await startServer('sqlite', { engine: { workers: 1, stateDir } });
  token = (await server.user('deep-owner')).token;
  await server.call('POST', '/api/v1/teams', { token, body: { name: 'deep' } });
});
after(() => server?.close());

test(
  'a mysql service under a state directory too deep for a socket path runs, and its socket directory goes with it',
  { skip },
  async () => {
    const created = await server.call('POST', base, {
      token,
      body: { kind: 'service', name: 'db', spec: { type: 'mysql' } },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.metadata.id as string;
    const read = async () => (await server.call('GET', `${base}/${id}`, { token })).body;
    const active = await eventually(read, (r) => ['active', 'failed'].includes(r.status.state), 'mysql settles', 90);
    assert.equal(active.status.state, 'active', active.status.message);
    assert.ok(
      active.status.details.credentials.length > 107,
      'the state directory is deeper than a socket path may be',
    );
    assert.equal(await sql(active.status.details.credentials, active.status.details.address, 'SELECT 6 * 7'), '42\n');

    const sockets = path.dirname(/--socket='([^']+)'/.exec(active.status.details.command.join(' '))![1]);
    assert.ok(sockets.length < 80, `the socket directory ${sockets} is short`);
    assert.equal(statSync(sockets).mode & 0o777, 0o700, 'only this user may reach the socket');

    assert.equal((await server.call('DELETE', `${base}/${id}`, { token })).status, 202);
    await eventually(read, (r) => r.status.state === 'deleted', 'mysql deleted', 60);
    assert.equal(existsSync(sockets), false, 'the socket directory is removed with the service');
  },
);
