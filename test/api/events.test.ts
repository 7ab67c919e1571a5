import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';
import { openEventStream } from '../support/sse.ts';

forEachBackend('events: audit log and change feed', (server) => {
  let token = '';
  let userId = '';
  const create = (name: string) =>
    server().call('POST', '/api/v1/teams/feed/resources', {
      token,
      body: { kind: 'service', name, spec: { type: 'php' } },
    });

  const relabel = (id: string, tier: string) =>
    server().call('PATCH', `/api/v1/teams/feed/resources/${id}`, { token, body: { labels: { tier } } });

  before(async () => {
    ({ token, id: userId } = await server().user('feed-owner'));
    await server().call('POST', '/api/v1/teams', { token, body: { name: 'feed' } });
  });

  test('every change is an event with who, what and when', async () => {
    const created = await create('audited');
    const events = await server().call('GET', '/api/v1/events?team=feed', { token });
    const event = events.body.items.find((e: { object: { id: string } }) => e.object.id === created.body.metadata.id);
    assert.equal(event.type, 'resource.created');
    assert.equal(event.actor, userId);
    assert.equal(event.object.kind, 'service');
    assert.ok(Date.parse(event.at) > 0);
    assert.equal(event.data.name, 'audited');
  });

  test('the JSON log pages with after=', async () => {
    const first = await server().call('GET', '/api/v1/events?limit=1', { token });
    assert.equal(first.body.items.length, 1);
    const second = await server().call('GET', `/api/v1/events?limit=1&after=${first.body.next}`, { token });
    assert.ok(second.body.items[0].id > first.body.items[0].id);
  });

  test('the stream delivers the backlog, then live events, in order', async () => {
    const stream = await openEventStream(`${server().url}/api/v1/events?team=feed`, token);
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type')!, /^text\/event-stream/);
    const backlog = await stream.take(2);
    assert.deepEqual(
      backlog.map((e) => e.event),
      ['team.created', 'resource.created'],
    );
    const live = await create('live-one');
    const [event] = await stream.take(1);
    assert.equal(event.data.object.id, live.body.metadata.id);
    assert.equal(event.id, String(event.data.id));
    stream.close();
  });

  test('reconnecting with Last-Event-ID resumes without loss or repetition', async () => {
    const stream = await openEventStream(`${server().url}/api/v1/events?team=feed`, token);
    const seen = await stream.take(3);
    stream.close();
    const missed = [await create('while-away-1'), await create('while-away-2')];
    const resumed = await openEventStream(`${server().url}/api/v1/events?team=feed`, token, {
      'last-event-id': seen[2].id,
    });
    const next = await resumed.take(2);
    assert.deepEqual(
      next.map((e) => e.data.object.id),
      missed.map((m) => m.body.metadata.id),
    );
    resumed.close();
  });

  test("a stream never carries another team's events", async () => {
    const other = await server().user('feed-other');
    await server().call('POST', '/api/v1/teams', { token: other.token, body: { name: 'feed-other-team' } });
    const stream = await openEventStream(`${server().url}/api/v1/events`, other.token);
    await create('private');
    await server().call('POST', '/api/v1/teams/feed-other-team/namespaces', {
      token: other.token,
      body: { name: 'marker' },
    });
    const seen = [];
    for (let event = (await stream.take(1))[0]; ; event = (await stream.take(1))[0]) {
      seen.push(event);
      if (event.event === 'namespace.created') break;
    }
    stream.close();
    assert.deepEqual(
      seen.map((e) => e.event),
      ['user.created', 'token.created', 'team.created', 'namespace.created'],
    );
  });

  test('a team created or joined while the stream is open shows up on it, from its first event', async () => {
    const newcomer = await server().user('feed-newcomer');
    const stream = await openEventStream(`${server().url}/api/v1/events`, newcomer.token);
    await stream.take(2); // user.created, token.created
    await server().call('POST', '/api/v1/teams', { token: newcomer.token, body: { name: 'feed-made-live' } });
    await server().call('POST', '/api/v1/teams/feed/members', {
      token,
      body: { user: 'feed-newcomer', role: 'viewer' },
    });
    await create('seen-by-newcomer');
    const events = await stream.take(3);
    stream.close();
    assert.deepEqual(
      events.map((e) => e.event),
      ['team.created', 'member.added', 'resource.created'],
    );
    assert.equal(events[0].data.data.name, 'feed-made-live');
  });

  test('many concurrent changes all arrive, each once', async () => {
    const log = await server().call('GET', '/api/v1/events?team=feed&limit=5000', { token });
    const lastId = log.body.items[log.body.items.length - 1].id;
    const stream = await openEventStream(`${server().url}/api/v1/events?team=feed&after=${lastId}`, token);
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => create(`burst-${i}`)));
    const events = await stream.take(20);
    assert.deepEqual(new Set(events.map((e) => e.data.object.id)), new Set(created.map((c) => c.body.metadata.id)));
    const ids = events.map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    stream.close();
  });

  test('streams that see all of a burst and streams that see part of it each get exactly theirs', async () => {
    const partner = await server().user('feed-partner');
    await server().call('POST', '/api/v1/teams', { token, body: { name: 'feed-shared' } });
    await server().call('POST', '/api/v1/teams/feed-shared/members', {
      token,
      body: { user: 'feed-partner', role: 'viewer' },
    });
    const log = await server().call('GET', '/api/v1/events?limit=5000', { token });
    const after = log.body.items[log.body.items.length - 1].id;
    // Two streams of the owner (every event: they share the feed's frames) and one of a viewer of one team.
    const [whole, wholeToo, part] = await Promise.all([
      openEventStream(`${server().url}/api/v1/events?after=${after}`, token),
      openEventStream(`${server().url}/api/v1/events?after=${after}`, token),
      openEventStream(`${server().url}/api/v1/events?after=${after}`, partner.token),
    ]);
    const createIn = (team: string, name: string) =>
      server().call('POST', `/api/v1/teams/${team}/resources`, {
        token,
        body: { kind: 'service', name, spec: { type: 'php' } },
      });
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => createIn(i % 2 === 0 ? 'feed' : 'feed-shared', `mixed-${i}`)),
    );
    const ids = (team: string) =>
      created.filter((c) => c.body.metadata.team === team).map((c) => c.body.metadata.id as string);
    const sharedTeam = created.find((c) => c.body.metadata.name === 'mixed-1')!.body.metadata.team;
    const marker = await createIn('feed-shared', 'mixed-marker');
    for (const stream of [whole, wholeToo]) {
      const events = await stream.take(21);
      assert.deepEqual(
        new Set(events.map((e) => e.data.object.id)),
        new Set([...created, marker].map((c) => c.body.metadata.id)),
      );
      assert.deepEqual(
        events.map((e) => Number(e.id)),
        events.map((e) => Number(e.id)).sort((a, b) => a - b),
      );
    }
    const seenByPartner = await part.take(11);
    assert.deepEqual(new Set(seenByPartner.slice(0, 10).map((e) => e.data.object.id)), new Set(ids(sharedTeam)));
    assert.equal(seenByPartner[10].data.object.id, marker.body.metadata.id);
    for (const stream of [whole, wholeToo, part]) stream.close();
  });

  test('object= lists only the events about that object, paged with after=', async () => {
    const watched = await create('watched');
    await create('unrelated');
    const id = watched.body.metadata.id;
    await relabel(id, 'one');
    const all = await server().call('GET', `/api/v1/events?object=${id}`, { token });
    assert.equal(all.status, 200, all.text);
    assert.ok(all.body.items.length >= 2, all.text);
    assert.equal(all.body.items[0].type, 'resource.created');
    assert.ok(all.body.items.every((e: { object: { id: string } }) => e.object.id === id));
    const first = await server().call('GET', `/api/v1/events?team=feed&object=${id}&limit=1`, { token });
    assert.deepEqual(first.body.items, all.body.items.slice(0, 1));
    assert.equal(first.body.next, all.body.items[0].id);
    const rest = await server().call('GET', `/api/v1/events?object=${id}&after=${first.body.next}`, { token });
    assert.deepEqual(rest.body.items, all.body.items.slice(1));
    assert.equal(rest.body.next, null);
  });

  test("object= with another team's resource id gives an empty list, never its events", async () => {
    const id = (await create('kept-private')).body.metadata.id;
    const stranger = await server().user('feed-stranger');
    const listed = await server().call('GET', `/api/v1/events?object=${id}`, { token: stranger.token });
    assert.equal(listed.status, 200, listed.text);
    assert.deepEqual(listed.body, { items: [], next: null });
    const stream = await openEventStream(`${server().url}/api/v1/events?object=${id}`, stranger.token);
    await relabel(id, 'unseen');
    // Let in, the stranger sees what follows: the first event the stream carries must be that one.
    await server().call('POST', '/api/v1/teams/feed/members', {
      token,
      body: { user: 'feed-stranger', role: 'viewer' },
    });
    await relabel(id, 'seen');
    const [event] = await stream.take(1);
    stream.close();
    const owners = await server().call('GET', `/api/v1/events?object=${id}`, { token });
    assert.deepEqual(
      owners.body.items.map((e: { type: string }) => e.type),
      ['resource.created', 'resource.updated', 'resource.updated'],
    );
    assert.deepEqual(event.data, owners.body.items[2]);
  });

  test('object= narrows the live stream to that object', async () => {
    const watched = await create('followed');
    const id = watched.body.metadata.id;
    const stream = await openEventStream(`${server().url}/api/v1/events?object=${id}&live=true`, token);
    await create('noise');
    await relabel(id, 'live');
    const [event] = await stream.take(1);
    stream.close();
    assert.equal(event.data.object.id, id);
    assert.notEqual(event.event, 'resource.created');
  });

  test('a bad object= is a 400 problem naming the parameter', async () => {
    for (const bad of ['', 'a%20b', 'x'.repeat(129)]) {
      const response = await server().call('GET', `/api/v1/events?object=${bad}`, { token });
      assert.equal(response.status, 400, `${bad}: ${response.text}`);
      assert.equal(response.headers.get('content-type'), 'application/problem+json');
      assert.match(response.body.detail, /object/);
    }
  });
});
