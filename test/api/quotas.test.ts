import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { forEachBackend } from '../support/each-backend.ts';

forEachBackend('team quotas', (server) => {
  let token = '';
  const base = '/api/v1/teams/quota/resources';
  const create = (body: unknown) => server().call('POST', base, { token, body });

  before(async () => {
    token = (await server().user('quota-owner')).token;
    await server().call('POST', '/api/v1/teams', { token, body: { name: 'quota' } });
  });

  test('only platform admins set quotas; members read them with the usage', async () => {
    assert.equal(
      (await server().call('PUT', '/api/v1/teams/quota/quotas', { token, body: { maxCpus: 1000 } })).status,
      403,
    );
    const set = await server().call('PUT', '/api/v1/teams/quota/quotas', {
      token: server().adminToken,
      body: { maxCpus: 8, maxMemoryMiB: 16384, maxResources: { stack: 1 } },
    });
    assert.equal(set.status, 200);
    const read = await server().call('GET', '/api/v1/teams/quota/quotas', { token });
    assert.deepEqual(read.body.quotas, { maxCpus: 8, maxMemoryMiB: 16384, maxResources: { stack: 1 } });
    assert.deepEqual(read.body.usage, { cpus: 0, memoryMiB: 0, resources: {} });
  });

  test('a creation beyond the cpu quota is a 409 naming it, and nothing is written', async () => {
    assert.equal((await create({ kind: 'server', name: 'big', spec: { cpus: 6, memoryMiB: 1024 } })).status, 201);
    const over = await create({ kind: 'job', name: 'wide', spec: { cmd: 'true', cpus: 2, nodes: 2 } });
    assert.equal(over.status, 409);
    assert.match(over.body.detail, /cpus: 6 used \+ 4 asked > 8/);
    const list = await server().call('GET', `${base}?kind=job`, { token });
    assert.equal(list.body.items.length, 0);
  });

  test('memory and per-kind counts are limited too', async () => {
    const memory = await create({ kind: 'server', name: 'fat', spec: { cpus: 1, memoryMiB: 16000 } });
    assert.equal(memory.status, 409);
    assert.match(memory.body.detail, /memoryMiB/);
    assert.equal((await create({ kind: 'stack', name: 'one' })).status, 201);
    const second = await create({ kind: 'stack', name: 'two' });
    assert.equal(second.status, 409);
    assert.match(second.body.detail, /stack resources: 1 of 1/);
  });

  test('growing a resource counts only the difference; deleted resources free their share', async () => {
    const list = await server().call('GET', `${base}?kind=server`, { token });
    const big = list.body.items.find((r: any) => r.metadata.name === 'big');
    const grown = await server().call('PATCH', `${base}/${big.metadata.id}`, { token, body: { spec: { cpus: 8 } } });
    assert.equal(grown.status, 200);
    assert.equal(
      (await server().call('PATCH', `${base}/${big.metadata.id}`, { token, body: { spec: { cpus: 9 } } })).status,
      409,
    );
    await server().call('DELETE', `${base}/${big.metadata.id}`, { token });
    assert.equal((await create({ kind: 'server', name: 'after', spec: { cpus: 8 } })).status, 201);
  });

  test('many creations at once cannot exceed a maxResources quota', async () => {
    await server().call('POST', '/api/v1/teams', { token, body: { name: 'quota-race' } });
    const set = await server().call('PUT', '/api/v1/teams/quota-race/quotas', {
      token: server().adminToken,
      body: { maxResources: { stack: 3 } },
    });
    assert.equal(set.status, 200);
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        server().call('POST', '/api/v1/teams/quota-race/resources', {
          token,
          body: { kind: 'stack', name: `racer-${i}` },
        }),
      ),
    );
    assert.deepEqual(
      attempts.map((a) => a.status).sort(),
      [...Array(3).fill(201), ...Array(9).fill(409)],
      attempts.map((a) => a.text).join('\n'),
    );
    const usage = await server().call('GET', '/api/v1/teams/quota-race/quotas', { token });
    assert.deepEqual(usage.body.usage.resources, { stack: 3 });
  });
});
