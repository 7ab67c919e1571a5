import assert from 'node:assert/strict';
import { get, type IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { appendEvent } from '../../src/store/events.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { openEventStream } from '../support/sse.ts';

const padding = 'x'.repeat(4000);

/** An event stream whose body nobody reads yet: the socket fills, as a stalled client's would. */
function openUnread(url: string, token: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get(url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` } }, resolve).on(
      'error',
      reject,
    );
  });
}

/** Reads what is left of a response until the server ends it; the ids of its events. */
function readToEnd(response: IncomingMessage): Promise<number[]> {
  return new Promise((resolve, reject) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (text += chunk));
    response.on('error', reject);
    response.on('end', () => resolve([...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]))));
  });
}

// The cut-off lives in the HTTP layer, whatever the database: one backend is enough to see it.
describe('events: a subscriber that stops reading', () => {
  let testServer: TestServer;
  const server = () => testServer;
  before(async () => {
    testServer = await startServer('sqlite');
  });
  after(() => testServer.close());

  test('is ended instead of buffered without bound, and resumes from Last-Event-ID without loss', async () => {
    const { url, adminToken, app } = server();
    const ctx = app.ctx;
    const response = await openUnread(`${url}/api/v1/events?live=true`, adminToken);
    assert.equal(response.statusCode, 200);
    // Far more than the socket buffers and the server's per-subscriber cap together hold.
    const count = 6000;
    await ctx.store.transaction(async (db) => {
      for (let i = 0; i < count; i++)
        await appendEvent(db, {
          at: new Date().toISOString(),
          actor_id: null,
          team_id: null,
          type: 'test.padded',
          object_kind: 'test',
          object_id: `padded-${i}`,
          data: JSON.stringify({ padding }),
        });
    });
    ctx.feed.poke();
    const newest = await ctx.store.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    const lastId = Number(newest.id);
    const received = await readToEnd(response);
    assert.ok(received.length > 0, 'the stream delivered what it had written before it ended');
    assert.ok(received.length < count, `the stream was ended early, not after all ${count} events`);
    const resumed = await openEventStream(`${url}/api/v1/events`, adminToken, {
      'last-event-id': String(received[received.length - 1]),
    });
    const rest = await resumed.take(lastId - received[received.length - 1]);
    resumed.close();
    const all = [...received, ...rest.map((event) => Number(event.id))];
    assert.equal(new Set(all).size, all.length, 'no event twice');
    assert.equal(all[all.length - 1], lastId);
  });
});
