import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';

const examples: Record<string, Record<string, unknown>> = {
  cluster: { nodePoolSize: 3, node: { cpus: 2, memoryMiB: 2048 } },
  service: { type: 'php', displayName: 'New php service' },
  job: {
    image: 'alpine:3',
    cmd: 'sh',
    args: '-c "cat in.txt"',
    nodes: 2,
    cpus: 4,
    memory: 8,
    disk: 20,
    runtime: 60,
    inputs: [{ filename: 'in.txt', content: Buffer.from('hello').toString('base64') }],
    outputFiles: ['out.txt'],
    outputDirs: ['results'],
    artifacts: ['https://example.org/data.tar.gz'],
    env: ['MODE=fast'],
    type: 'mpi',
    instances: 4,
    parallelism: 2,
  },
  server: { cpus: 2, memoryMiB: 4096, command: ['sleep', '1000'] },
  stack: { description: 'web tier' },
};

forEachBackend('resources', (server) => {
  let token = '';
  const base = '/api/v1/teams/res/resources';
  const create = (body: unknown, headers?: Record<string, string>) =>
    server().call('POST', base, { token, body, headers });

  before(async () => {
    token = (await server().user('owner-resources')).token;
    await server().call('POST', '/api/v1/teams', { token, body: { name: 'res' } });
  });

  test('every kind is created pending with its defaults applied', async () => {
    for (const [kind, spec] of Object.entries(examples)) {
      const response = await create({ kind, name: `${kind}-1`, spec });
      assert.equal(response.status, 201, `${kind}: ${response.text}`);
      assert.equal(response.body.status.state, 'pending');
      assert.equal(response.body.metadata.generation, 1);
      assert.equal(response.headers.get('etag'), '"1"');
      assert.match(response.headers.get('location')!, new RegExp(`/resources/${response.body.metadata.id}$`));
    }
    const cluster = await create({ kind: 'cluster', name: 'defaults', spec: { nodePoolSize: 1 } });
    assert.deepEqual(cluster.body.spec, {
      nodePoolSize: 1,
      node: { cpus: 1, memoryMiB: 1024, diskGiB: 10 },
      version: '',
    });
  });

  test('an application needs a cluster as its parent and lands in its namespace', async () => {
    await server().call('POST', '/api/v1/teams/res/namespaces', { token, body: { name: 'apps' } });
    const orphan = await create({ kind: 'application', name: 'orphan', spec: { chart: 'mongodb-replicaset' } });
    assert.equal(orphan.status, 400);
    const cluster = await create({ kind: 'cluster', name: 'for-apps', namespace: 'apps', spec: { nodePoolSize: 2 } });
    const app = await create({
      kind: 'application',
      name: 'mongo',
      parent: cluster.body.metadata.id,
      spec: { chart: 'mongodb-replicaset' },
    });
    assert.equal(app.status, 201);
    assert.equal(app.body.metadata.namespace, cluster.body.metadata.namespace);
    const wrongParent = await create({
      kind: 'application',
      name: 'x',
      parent: app.body.metadata.id,
      spec: { chart: 'x' },
    });
    assert.equal(wrongParent.status, 400);
  });

  test('spec validation names the problem', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['cluster', { nodePoolSize: 0 }, /nodePoolSize/],
      ['cluster', { nodePoolSize: 1, extra: true }, /extra|Unexpected property/],
      ['job', { cmd: 'true', parallelism: 5, instances: 2 }, /parallelism cannot exceed instances/],
      ['job', { nodes: 1 }, /needs an image or a cmd/],
      ['job', { cmd: 'true', inputs: [{ filename: '../etc/passwd', content: 'aGk=' }] }, /filename/],
      ['job', { cmd: 'true', inputs: [{ filename: 'a', content: 'not base64!' }] }, /base64/],
      ['job', { cmd: 'true', env: ['no-equals-sign'] }, /env/],
      ['job', { cmd: 'true', type: 'spark' }, /type/],
      ['service', { type: 'Bad Type' }, /type/],
    ];
    for (const [kind, spec, message] of cases) {
      const response = await create({ kind, name: 'bad', spec });
      assert.equal(response.status, 400, `${kind} ${JSON.stringify(spec)}`);
      assert.match(response.body.detail, message);
    }
  });

  test('names are unique per kind in a team until the holder is deleted', async () => {
    const first = await create({ kind: 'stack', name: 'same' });
    assert.equal((await create({ kind: 'stack', name: 'same' })).status, 409);
    assert.equal((await create({ kind: 'server', name: 'same' })).status, 201);
    await server().call('DELETE', `${base}/${first.body.metadata.id}`, { token });
    assert.equal((await create({ kind: 'stack', name: 'same' })).status, 201);
  });

  test('a caller-chosen id is kept, and reusing it is a conflict', async () => {
    const id = '6f1c2c9e-2a43-4f0e-9a4b-7b9d3f1e8c11';
    const created = await create({ id, kind: 'service', name: 'chosen', spec: { type: 'php' } });
    assert.equal(created.body.metadata.id, id);
    const again = await create({ id, kind: 'service', name: 'chosen-2', spec: { type: 'php' } });
    assert.equal(again.status, 409);
  });

  test('lists page with opaque cursors, oldest first', async () => {
    const names = ['p1', 'p2', 'p3', 'p4', 'p5'];
    for (const name of names) await create({ kind: 'service', name, labels: { page: 'yes' }, spec: { type: 'java' } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?labelSelector=page%3Dyes&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await server().call('GET', base + query, { token });
      assert.ok(page.body.items.length <= 2);
      seen.push(...page.body.items.map((r: { metadata: { name: string } }) => r.metadata.name));
      cursor = page.body.next;
    } while (cursor);
    assert.deepEqual(seen, names);
  });

  test('label selectors: equality, inequality, sets and existence', async () => {
    const labelled = [
      ['web-prod', { app: 'web', env: 'prod' }],
      ['web-dev', { app: 'web', env: 'dev' }],
      ['db-prod', { app: 'db', env: 'prod', legacy: 'true' }],
    ] as const;
    for (const [name, labels] of labelled) await create({ kind: 'server', name, labels, spec: {} });
    const select = async (selector: string) =>
      (
        await server().call('GET', `${base}?kind=server&labelSelector=${encodeURIComponent(selector)}`, { token })
      ).body.items
        .map((r: { metadata: { name: string } }) => r.metadata.name)
        .filter((n: string) => n.includes('-'));
    assert.deepEqual(await select('app=web'), ['web-prod', 'web-dev']);
    assert.deepEqual(await select('app=web,env!=prod'), ['web-dev']);
    assert.deepEqual(await select('env in (prod),app notin (web)'), ['db-prod']);
    assert.deepEqual(await select('legacy'), ['db-prod']);
    assert.deepEqual(await select('!legacy,app'), ['web-prod', 'web-dev']);
  });

  test('lists with the same filters set but other values each answer their own (the query is compiled per shape)', async () => {
    for (const kind of ['cluster', 'stack'])
      for (const name of ['shape-a', 'shape-b', 'shape-c'])
        await create({ kind, name, spec: kind === 'cluster' ? examples.cluster : {} });
    const names = async (query: string) =>
      (await server().call('GET', `${base}?${query}`, { token })).body.items.map(
        (r: { metadata: { kind: string; name: string } }) => `${r.metadata.kind}/${r.metadata.name}`,
      );
    const shaped = (list: string[]) => list.filter((entry) => entry.includes('/shape-'));
    assert.deepEqual(shaped(await names('kind=cluster')), ['cluster/shape-a', 'cluster/shape-b', 'cluster/shape-c']);
    assert.deepEqual(shaped(await names('kind=stack')), ['stack/shape-a', 'stack/shape-b', 'stack/shape-c']);
    assert.deepEqual(await names('kind=stack&name=shape-b'), ['stack/shape-b']);
    assert.deepEqual(await names('kind=cluster&name=shape-c'), ['cluster/shape-c']);
    assert.deepEqual(await names('kind=cluster&name=shape-z'), []);
    const first = await server().call('GET', `${base}?kind=stack&limit=1&name=shape-a`, { token });
    assert.equal(first.body.next, null);
    const firstTwo = await server().call('GET', `${base}?kind=cluster&limit=1`, { token });
    const secondTwo = await server().call('GET', `${base}?kind=cluster&limit=2&cursor=${firstTwo.body.next}`, {
      token,
    });
    assert.equal(firstTwo.body.items.length, 1);
    assert.equal(secondTwo.body.items.length, 2, 'each request keeps its own page size');
    assert.notEqual(secondTwo.body.items[0].metadata.id, firstTwo.body.items[0].metadata.id);
  });

  test('filters by kind and state, and an unknown kind is a 400', async () => {
    const pending = await server().call('GET', `${base}?kind=stack&state=pending`, { token });
    assert.ok(
      pending.body.items.every(
        (r: { metadata: { kind: string }; status: { state: string } }) =>
          r.metadata.kind === 'stack' && r.status.state === 'pending',
      ),
    );
    assert.equal((await server().call('GET', `${base}?kind=spaceship`, { token })).status, 400);
  });

  test('updates: If-Match guards, spec changes bump the generation, labels do not', async () => {
    const created = await create({ kind: 'cluster', name: 'scaling', spec: { nodePoolSize: 1 } });
    const url = `${base}/${created.body.metadata.id}`;
    const scaled = await server().call('PUT', url, {
      token,
      body: { spec: { nodePoolSize: 5 } },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(scaled.status, 200);
    assert.equal(scaled.body.metadata.generation, 2);
    assert.equal(scaled.headers.get('etag'), '"2"');
    const stale = await server().call('PUT', url, {
      token,
      body: { spec: { nodePoolSize: 6 } },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(stale.status, 412);
    const labelled = await server().call('PATCH', url, { token, body: { labels: { tier: 'gold' } } });
    assert.equal(labelled.body.metadata.generation, 2);
    assert.equal(labelled.body.metadata.resourceVersion, '3');
    const merged = await server().call('PATCH', url, {
      token,
      body: { spec: { node: { cpus: 8 } }, labels: { tier: null } },
    });
    assert.deepEqual(merged.body.spec.node, { cpus: 8, memoryMiB: 1024, diskGiB: 10 });
    assert.deepEqual(merged.body.metadata.labels, {});
    const staleBody = await server().call('PATCH', url, { token, body: { resourceVersion: '1', labels: { a: 'b' } } });
    assert.equal(staleBody.status, 412);
  });

  test('concurrent patches without If-Match all apply: none is a 412, none is lost', async () => {
    const created = await create({ kind: 'stack', name: 'patched-at-once' });
    const url = `${base}/${created.body.metadata.id}`;
    const keys = ['a', 'b', 'c', 'd', 'e'];
    const patches = await Promise.all(
      keys.map((key) => server().call('PATCH', url, { token, body: { labels: { [key]: 'set' } } })),
    );
    assert.deepEqual(
      patches.map((p) => p.status),
      keys.map(() => 200),
      patches.map((p) => p.text).join('\n'),
    );
    const final = await server().call('GET', url, { token });
    assert.deepEqual(Object.keys(final.body.metadata.labels).sort(), keys);
    assert.equal(final.body.metadata.resourceVersion, String(1 + keys.length));
  });

  test("a job's spec cannot change after creation", async () => {
    const job = await create({ kind: 'job', name: 'fixed', spec: { cmd: 'true' } });
    const response = await server().call('PATCH', `${base}/${job.body.metadata.id}`, {
      token,
      body: { spec: { cpus: 2 } },
    });
    assert.equal(response.status, 409);
  });

  test('deleting a stack deletes its servers first; deleted records stay readable', async () => {
    const stack = await create({ kind: 'stack', name: 'rack-1' });
    const vm = await create({ kind: 'server', name: 'vm-1', parent: stack.body.metadata.id, spec: {} });
    const deleted = await server().call('DELETE', `${base}/${stack.body.metadata.id}`, { token });
    assert.equal(deleted.status, 202);
    assert.equal(deleted.body.status.state, 'deleted');
    const child = await server().call('GET', `${base}/${vm.body.metadata.id}`, { token });
    assert.equal(child.body.status.state, 'deleted');
    assert.notEqual(child.body.metadata.deletionRequestedAt, null);
    const live = await server().call('GET', `${base}?kind=server`, { token });
    assert.ok(!live.body.items.some((r: { metadata: { id: string } }) => r.metadata.id === vm.body.metadata.id));
    const all = await server().call('GET', `${base}?kind=server&includeDeleted=true`, { token });
    assert.ok(all.body.items.some((r: { metadata: { id: string } }) => r.metadata.id === vm.body.metadata.id));
    assert.equal(
      (await server().call('PATCH', `${base}/${vm.body.metadata.id}`, { token, body: { labels: { a: 'b' } } })).status,
      409,
    );
  });

  test('GET /kinds describes every kind with its actions', async () => {
    const kinds = await server().call('GET', '/api/v1/kinds', { token });
    const byName = Object.fromEntries(kinds.body.map((k: { name: string }) => [k.name, k]));
    assert.deepEqual(Object.keys(byName).sort(), ['application', 'cluster', 'job', 'server', 'service', 'stack']);
    assert.deepEqual(byName.server.actions.resume, ['suspended']);
    assert.equal(byName.application.parent.kinds[0], 'cluster');
    assert.ok(byName.job.spec.properties.parallelism);
  });
});
