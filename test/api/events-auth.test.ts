import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';
import { openEventStream, type SseEvent, type SseStream } from '../support/sse.ts';

const lastError = (events: SseEvent[]) => events.filter((e) => e.event === 'error').at(-1)?.data.detail;

forEachBackend(
  'events: a stream lives only as long as its token',
  (server) => {
    let owner = '';
    const apiToken = async (token: string, name: string) =>
      (await server().call('POST', '/api/v1/tokens', { token, body: { name } })).body;
    const feed = (token: string) => openEventStream(`${server().url}/api/v1/events`, token);
    /** Makes an event the owner sees, and waits for it on the stream. */
    const stillDelivers = async (stream: SseStream, name: string) => {
      const created = await apiToken(owner, name);
      for (let [event] = await stream.take(1); event.data.object.id !== created.id; [event] = await stream.take(1));
    };

    before(async () => {
      owner = (await server().user('stream-owner')).token;
    });

    test('a stream with a valid token outlives its heartbeats', async () => {
      const stream = await feed(owner);
      await sleep(2500);
      await stillDelivers(stream, 'after-heartbeats');
      stream.close();
    });

    test('revoking its token ends the stream with an error event', async () => {
      const token = await apiToken(owner, 'revoked-while-streaming');
      const stream = await feed(token.token);
      assert.equal(stream.status, 200);
      assert.equal((await server().call('DELETE', `/api/v1/tokens/${token.id}`, { token: owner })).status, 204);
      assert.match(lastError(await stream.ended(5)), /no longer valid: invalid or revoked token/);
    });

    test('disabling its user ends the stream', async () => {
      const user = await server().user('stream-disabled');
      const stream = await feed(user.token);
      assert.equal(
        (
          await server().call('PATCH', `/api/v1/users/${user.id}`, {
            token: server().adminToken,
            body: { disabled: true },
          })
        ).status,
        200,
      );
      assert.match(lastError(await stream.ended(5)), /no longer valid/);
    });

    test('a token that expires while streaming ends the stream at the next heartbeat', async () => {
      const token = await apiToken(owner, 'expiring-while-streaming');
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      await server()
        .app.ctx.store.db.updateTable('api_tokens')
        .set({ expires_at: expiresAt })
        .where('id', '=', token.id)
        .execute();
      const stream = await feed(token.token);
      assert.equal(stream.status, 200);
      assert.match(lastError(await stream.ended(6)), /no longer valid: token expired/);
    });

    test('another user losing a token leaves the stream open', async () => {
      const stream = await feed(owner);
      const other = await server().user('stream-bystander');
      const token = await apiToken(other.token, 'bystander');
      await server().call('DELETE', `/api/v1/tokens/${token.id}`, { token: other.token });
      await sleep(1500);
      await stillDelivers(stream, 'after-bystander');
      stream.close();
    });
  },
  { api: { eventHeartbeatSeconds: 1 } },
);
