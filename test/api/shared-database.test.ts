import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';
import { startServerSharing, type TestServer } from '../support/server.ts';

/** Asks until the answer is `status`, for at most `seconds`; changes from another process arrive with the feed's poll. */
async function eventually(ask: () => Promise<{ status: number }>, status: number, seconds = 10) {
  let last = 0;
  for (const deadline = Date.now() + seconds * 1000; Date.now() < deadline; await sleep(50)) {
    last = (await ask()).status;
    if (last === status) return;
  }
  assert.fail(`still ${last} after ${seconds} s, expected ${status}`);
}

forEachBackend('two servers on one database', (first) => {
  let second: TestServer;
  before(async () => {
    second = await startServerSharing(first());
  });
  after(async () => {
    await second.close();
  });

  test('what one server writes, the other reads', async () => {
    const { token } = await first().user('shared-writer');
    await first().call('POST', '/api/v1/teams', { token, body: { name: 'shared' } });
    const created = await first().call('POST', '/api/v1/teams/shared/resources', {
      token,
      body: { kind: 'stack', name: 's' },
    });
    const read = await second.call('GET', `/api/v1/teams/shared/resources/${created.body.metadata.id}`, { token });
    assert.equal(read.status, 200);
    assert.equal(read.body.metadata.name, 's');
  });

  test('a token revoked through one server stops working on the other', async () => {
    const { token } = await first().user('shared-revoker');
    const apiToken = await first().call('POST', '/api/v1/tokens', { token, body: { name: 'x' } });
    assert.equal((await second.call('GET', '/api/v1/me', { token: apiToken.body.token })).status, 200);
    await first().call('DELETE', `/api/v1/tokens/${apiToken.body.id}`, { token });
    await eventually(() => second.call('GET', '/api/v1/me', { token: apiToken.body.token }), 401);
  });

  test('a member removed through one server loses the team on the other', async () => {
    const owner = await first().user('shared-owner');
    const guest = await first().user('shared-guest');
    await first().call('POST', '/api/v1/teams', { token: owner.token, body: { name: 'shared-members' } });
    await first().call('POST', '/api/v1/teams/shared-members/members', {
      token: owner.token,
      body: { user: guest.id, role: 'member' },
    });
    assert.equal((await second.call('GET', '/api/v1/teams/shared-members', { token: guest.token })).status, 200);
    await first().call('DELETE', `/api/v1/teams/shared-members/members/${guest.id}`, { token: owner.token });
    await eventually(() => second.call('GET', '/api/v1/teams/shared-members', { token: guest.token }), 404);
  });

  test('the change feed of one server carries what the other wrote', async () => {
    const { token } = await first().user('shared-feed');
    await first().call('POST', '/api/v1/teams', { token, body: { name: 'shared-feed' } });
    const log = await second.call('GET', '/api/v1/events?team=shared-feed', { token });
    assert.deepEqual(
      log.body.items.map((e: { type: string }) => e.type),
      ['team.created'],
    );
  });
});
