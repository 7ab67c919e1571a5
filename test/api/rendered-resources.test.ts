import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import fastJson from 'fast-json-stringify';
import { Page } from '../../src/api/pagination.ts';
import { Resource } from '../../src/resources/models.ts';
import { forEachBackend } from '../support/each-backend.ts';
import { startServerSharing } from '../support/server.ts';

// Fastify's serialiser for the list's response schema, built here on its own: what the routes sent before caching.
const serialisePage = fastJson(Page(Resource));

forEachBackend('resources: gets and lists send each version rendered once', (server, backend) => {
  let token = '';
  const base = '/api/v1/teams/rendered/resources';

  before(async () => {
    ({ token } = await server().user('rendered-owner'));
    await server().call('POST', '/api/v1/teams', { token, body: { name: 'rendered' } });
  });

  const create = (name: string, labels: Record<string, string> = {}) =>
    server().call('POST', base, { token, body: { kind: 'server', name, labels, spec: {} } });

  test('a get after a change answers the new version, byte for byte as the change answered it', async () => {
    const created = await create('versioned', { tier: 'bronze' });
    const url = `${base}/${created.body.metadata.id}`;
    const first = await server().call('GET', url, { token });
    assert.equal(first.text, created.text, 'the rendering equals what the schema serialised at create');
    assert.equal(first.headers.get('etag'), '"1"');
    assert.equal(first.headers.get('content-type'), 'application/json; charset=utf-8');

    // PATCH answers through Fastify's response schema, not the cache: the uncached bytes of version 2.
    const patched = await server().call('PATCH', url, { token, body: { labels: { tier: 'gold' } } });
    assert.equal(patched.status, 200);
    const second = await server().call('GET', url, { token });
    assert.equal(second.headers.get('etag'), '"2"');
    assert.equal(second.text, patched.text);
    assert.notEqual(second.text, first.text);
    assert.equal(second.body.metadata.labels.tier, 'gold');
  });

  test('a list page is the items as a get renders them, in the envelope the schema serialises', async () => {
    const made = [await create('page-a', { page: 'p' }), await create('page-b', { page: 'p' })];
    await create('page-c', { page: 'p' });
    const gets = await Promise.all(
      made.map((m) =>
        server()
          .call('GET', `${base}/${m.body.metadata.id}`, { token })
          .then((r) => r.text),
      ),
    );
    const page = await server().call('GET', `${base}?labelSelector=page%3Dp&limit=2`, { token });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(page.text, serialisePage(page.body), 'identical to the schema serialiser on the same items');
    assert.equal(page.text.slice(0, page.text.indexOf('],"next":') + 1), `{"items":[${gets.join(',')}]`);
    const rest = await server().call('GET', `${base}?labelSelector=page%3Dp&limit=2&cursor=${page.body.next}`, {
      token,
    });
    assert.deepEqual(
      rest.body.items.map((item: { metadata: { name: string } }) => item.metadata.name),
      ['page-c'],
    );
    assert.equal(rest.text, serialisePage(rest.body));
  });

  test("a rendered resource stays invisible to another team's members", async () => {
    const created = await create('kept-in-team');
    const url = `${base}/${created.body.metadata.id}`;
    assert.equal((await server().call('GET', url, { token })).status, 200);
    const outsider = await server().user('rendered-outsider');
    await server().call('POST', '/api/v1/teams', { token: outsider.token, body: { name: 'rendered-other' } });
    const elsewhere = `/api/v1/teams/rendered-other/resources/${created.body.metadata.id}`;
    assert.equal((await server().call('GET', elsewhere, { token: outsider.token })).status, 404);
    assert.equal((await server().call('GET', url, { token: outsider.token })).status, 404);
    const list = await server().call('GET', '/api/v1/teams/rendered-other/resources', { token: outsider.token });
    assert.deepEqual(list.body.items, []);
  });

  if (backend === 'sqlite')
    test('a second process on the same database never answers a version it has cached once it changed', async () => {
      const other = await startServerSharing(server());
      try {
        const created = await create('shared');
        const url = `${base}/${created.body.metadata.id}`;
        const seen = await other.call('GET', url, { token });
        assert.equal(seen.headers.get('etag'), '"1"');
        await server().call('PATCH', url, { token, body: { labels: { moved: 'yes' } } });
        const after = await other.call('GET', url, { token });
        assert.equal(after.headers.get('etag'), '"2"');
        assert.equal(after.body.metadata.labels.moved, 'yes');
      } finally {
        await other.close();
      }
    });
});
