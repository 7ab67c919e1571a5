// README "Adding a kind", followed as written: one kind file (here, the kind declared below) and the
// external driver, which needs no driver code. The kind gets routes, validation, a form schema on
// GET /kinds, quotas, agent reports and billing without a line of generic code changed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { defineKind, type KindDefinition } from '../../src/resources/kinds/kind.ts';
import { builtInKinds } from '../../src/resources/kinds/registry.ts';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** A block-storage volume that a storage agent creates and reports on (the external driver). */
const volumeKind = defineKind({
  name: 'volume',
  description: 'A block-storage volume, made and reported on by a storage agent.',
  spec: Type.Object(
    {
      sizeGiB: Type.Integer({ minimum: 1, maximum: 65536, default: 10 }),
      tier: Type.Union([Type.Literal('ssd'), Type.Literal('hdd')], { default: 'hdd' }),
    },
    { additionalProperties: false },
  ),
  states: ['pending', 'provisioning', 'active', 'failed', 'deleting', 'deleted'],
  actions: {},
  specUpdatable: true,
  defaultDriver: 'external',
  validate: (spec) =>
    spec.tier === 'ssd' && spec.sizeGiB > 4096 ? ['/sizeGiB: ssd volumes hold at most 4096 GiB'] : [],
  usage: () => ({ cpus: 0, memoryMiB: 0 }),
  billingUnits: ({ sizeGiB = 0 }) => ({ gibHour: sizeGiB }),
});

for (const backend of backends()) {
  describe(`adding a kind is one kind file [${backend}]`, () => {
    let server: TestServer;
    let token = '';
    let agent = '';
    const base = '/api/v1/teams/storage/resources';

    before(async () => {
      server = await startServer(
        backend,
        { engine: { workers: 1 }, billing: { prices: { volume: { gibHour: 1 } } } },
        { kinds: [...builtInKinds, volumeKind as unknown as KindDefinition] },
      );
      token = (await server.user('storage-owner')).token;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'storage' } });
      agent = (
        await server.call('POST', '/api/v1/tokens', { token, body: { name: 'storage-agent', scopes: ['agent'] } })
      ).body.token;
    });
    after(() => server.close());

    test('GET /kinds publishes it, with the schema a form is generated from', async () => {
      const kinds = (await server.call('GET', '/api/v1/kinds', { token })).body;
      const volume = kinds.find((kind: { name: string }) => kind.name === 'volume');
      assert.deepEqual(Object.keys(volume.spec.properties), ['sizeGiB', 'tier']);
      assert.equal(volume.spec.properties.sizeGiB.default, 10);
      assert.deepEqual(volume.states, ['pending', 'provisioning', 'active', 'failed', 'deleting', 'deleted']);
    });

    test('its spec is validated by its schema and its own rule, with defaults applied', async () => {
      const badTier = await server.call('POST', base, {
        token,
        body: { kind: 'volume', name: 'v0', spec: { tier: 'tape' } },
      });
      assert.equal(badTier.status, 400);
      assert.match(badTier.body.detail, /tier/);
      const tooBig = await server.call('POST', base, {
        token,
        body: { kind: 'volume', name: 'v0', spec: { tier: 'ssd', sizeGiB: 5000 } },
      });
      assert.equal(tooBig.status, 400);
      assert.match(tooBig.body.detail, /at most 4096 GiB/);
      const created = await server.call('POST', base, { token, body: { kind: 'volume', name: 'v1' } });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.body.spec, { sizeGiB: 10, tier: 'hdd' });
    });

    test('its agent reports it active, and its billing units price it on the draft', async () => {
      const created = await server.call('POST', base, {
        token,
        body: { kind: 'volume', name: 'v2', spec: { sizeGiB: 20 } },
      });
      const id = created.body.metadata.id;
      await eventually(
        async () => (await server.call('GET', `${base}/${id}`, { token })).body,
        (r) => r.status.observedGeneration >= 1,
        'applied',
      );
      const reported = await server.call('POST', `${base}/${id}/status`, {
        token: agent,
        body: { state: 'active', message: 'attached' },
      });
      assert.equal(reported.status, 200, reported.text);
      const draft = await eventually(
        async () => (await server.call('GET', '/api/v1/billing/accounts/team:storage/invoices/draft', { token })).body,
        (d) =>
          d.lines.some(
            (line: { resource: { id: string }; hours: number }) => line.resource.id === id && line.hours > 0,
          ),
        'the volume on the draft',
      );
      const line = draft.lines.find((entry: { resource: { id: string } }) => entry.resource.id === id);
      assert.deepEqual([line.resource.kind, line.unit, line.units, line.unitPrice], ['volume', 'gibHour', 20, 1]);
    });

    test('a report of a state the kind does not have is refused', async () => {
      const created = await server.call('POST', base, { token, body: { kind: 'volume', name: 'v3' } });
      const id = created.body.metadata.id;
      await eventually(
        async () => (await server.call('GET', `${base}/${id}`, { token })).body,
        (r) => r.status.observedGeneration >= 1,
        'applied',
      );
      const refused = await server.call('POST', `${base}/${id}/status`, { token: agent, body: { state: 'stopped' } });
      assert.equal(refused.status, 400, refused.text);
      assert.match(refused.body.detail, /a volume cannot be stopped/);
    });
  });
}
