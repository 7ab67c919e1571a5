import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { backends } from '../../support/backends.ts';
import { imageTestsSkipped, pushBusyboxImage, testRegistry } from '../../support/registry.ts';
import { startImcServer, type ImcServer, type ImcUser } from './support.ts';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const base64 = (text: string) => Buffer.from(text).toString('base64');
const clouds = {
  'site-a': { region: 'north' },
  'site-b': { region: 'south' },
  'site-c': { region: 'south', groups: ['physics'] },
};
// A machine that runs needs its image pulled: busybox 1 is a small image in the test registry, and ubuntu 22.04
// (the default table's) comes from the test servers' unreachable default registry.
const skip = imageTestsSkipped();
const registry = skip ? undefined : testRegistry();
const repository = `imc/${randomUUID().slice(0, 8)}/busybox`;
if (registry) pushBusyboxImage(registry, repository, '1');
const busybox = registry && `${registry.address}/${repository}:1`;
// Added to the default table (which has ubuntu 22.04), replacing its rocky 9.
const images = { rocky: { '9': 'registry.example.org/rocky:9' }, ...(busybox && { busybox: { '1': busybox } }) };
const runnable = { image: { distribution: 'busybox', version: '1' }, resources: { cores: 1, memory: 1, disk: 1 } };

const description = (overrides: Record<string, unknown> = {}) => ({
  requirements: {
    image: { distribution: 'ubuntu', version: '22.04', type: 'linux', architecture: 'x86_64' },
    resources: { cores: 4, memory: 8, disk: 30 },
  },
  radl: base64('system node ( cpu.count >= 4 )\ndeploy node 1\n'),
  identifier: '77.0',
  ...overrides,
});

for (const backend of backends()) {
  describe(`IMC infrastructure descriptions: machines on the sites offered here [${backend}]`, () => {
    let s: ImcServer;
    let bob: ImcUser;
    const deploy = (body: unknown, key?: string) =>
      s.server.call('POST', '/v1/infrastructures', {
        body,
        headers: { authorization: bob.authorization, ...(key ? { 'idempotency-key': key } : {}) },
      });
    const native = (id: string) => s.server.call('GET', `/api/v1/teams/imc/resources/${id}`, { token: bob.token });

    before(async () => {
      const registries = registry ? { [registry.address]: { insecure: true } } : {};
      s = await startImcServer(backend, undefined, { clouds, images }, { images: { registries } });
      bob = await s.user('bob', 'member');
    });
    after(() => s.server.close());

    test('a description is a server sized by its resources, its image from the configured table, its RADL decoded', async () => {
      const created = await deploy(description());
      assert.equal(created.status, 201, created.text);
      assert.match(created.body.id, uuid);
      const { body } = await native(created.body.id);
      assert.equal(body.metadata.kind, 'server');
      assert.equal(body.metadata.name, `imc-${created.body.id}`);
      assert.deepEqual(body.metadata.labels, { 'imc/cloud': 'site-a' });
      assert.equal(body.spec.image, 'ubuntu:22.04');
      assert.deepEqual([body.spec.cpus, body.spec.memoryMiB, body.spec.diskGiB], [4, 8192, 30]);
      assert.equal(body.spec.radl, 'system node ( cpu.count >= 4 )\ndeploy node 1\n');
      assert.equal(body.spec.extra.identifier, '77.0');
      assert.equal(body.spec.extra.radl, undefined, 'the RADL is kept once, decoded');
      const rocky = await deploy(description({ requirements: { image: { distribution: 'Rocky', version: 9 } } }));
      assert.equal((await native(rocky.body.id)).body.spec.image, 'registry.example.org/rocky:9');
    });

    test('a dry run answers the sites that could take it, best first, and deploys nothing', async () => {
      const before = await s.server.call('GET', '/api/v1/teams/imc/resources?kind=server&limit=500', {
        token: bob.token,
      });
      const cases: [Record<string, unknown>, string[]][] = [
        [{}, ['site-a', 'site-b']],
        [{ preferences: { regions: ['south'] } }, ['site-b', 'site-a']],
        [{ preferences: { sites: ['site-b'], regions: {} } }, ['site-b', 'site-a']],
        [
          { requirements: { ...description().requirements, regions: ['south'], groups: ['physics'] } },
          ['site-b', 'site-c'],
        ],
        [{ requirements: { ...description().requirements, sites: ['site-c'] } }, []],
        [{ requirements: { image: { distribution: 'Rocky', version: 9 } } }, ['site-a', 'site-b']],
        [{ requirements: { image: { distribution: 'gentoo', version: '2.15' } } }, []],
      ];
      for (const [overrides, sites] of cases) {
        const answer = await deploy(description({ ...overrides, dryrun: true }), randomUUID());
        assert.equal(answer.status, 200, answer.text);
        assert.deepEqual(answer.body, { sites }, JSON.stringify(overrides));
      }
      const after = await s.server.call('GET', '/api/v1/teams/imc/resources?kind=server&limit=500', {
        token: bob.token,
      });
      assert.equal(after.body.items.length, before.body.items.length);
    });

    test('a dry run of a job table names the driver that runs jobs; a bad body is refused as a deploy would be', async () => {
      assert.deepEqual((await deploy({ image: 'centos:7', cmd: 'true', dryrun: true })).body, { sites: ['local'] });
      const bad = await deploy({ image: 'centos:7', instances: 1, parallelism: 2, dryrun: true });
      assert.equal(bad.status, 400);
      assert.match(bad.body.error, /parallelism/);
    });

    test('a description no site here can take is refused, naming why; nothing is stored under its key', async () => {
      const key = randomUUID();
      const nowhere = await deploy(
        description({ requirements: { ...description().requirements, regions: ['west'] } }),
        key,
      );
      assert.equal(nowhere.status, 400);
      assert.equal(nowhere.body.id, key, "IMC's 400 names the key it would have used");
      assert.match(nowhere.body.error, /no cloud here meets the requirements; offered: site-a \(region north\)/);
      assert.equal((await s.imc('GET', `/v1/infrastructures/${key}`, bob.authorization)).status, 404);
      const noImage = await deploy(description({ requirements: { image: { distribution: 'gentoo', version: '1' } } }));
      assert.match(noImage.body.error, /no image here for distribution "gentoo" version "1"/);
    });

    test('an Idempotency-Key that is a uuid is the id; a repeat answers 200 with it, whatever its body, as IMC does', async () => {
      const key = randomUUID();
      const first = await deploy(description(), key.toUpperCase());
      assert.deepEqual([first.status, first.body], [201, { id: key }]);
      const again = await deploy(description({ requirements: { resources: { cores: 1 } } }), key);
      assert.deepEqual([again.status, again.body], [200, { id: key }]);
      assert.equal((await native(key)).body.spec.cpus, 4, 'the first deploy stands');
      const notUuid = await deploy(description(), 'job-77');
      assert.equal(notUuid.status, 201);
      assert.notEqual(notUuid.body.id, 'job-77');
      assert.match(notUuid.body.id, uuid);
    });

    test('a key already naming something that is not an infrastructure is refused, not answered as a repeat', async () => {
      const stack = await s.server.call('POST', '/api/v1/teams/imc/resources', {
        token: bob.token,
        body: { kind: 'stack', name: 'not-an-infrastructure' },
      });
      assert.equal(stack.status, 201, stack.text);
      const response = await deploy(description(), stack.body.metadata.id);
      assert.equal(response.status, 400, response.text);
      assert.match(response.body.error, /is not available/);
    });

    test('a description that cannot be read is a 400 naming the field', async () => {
      const bad: [unknown, RegExp][] = [
        [description({ radl: 'not base64!' }), /radl is not base64/],
        [description({ radl: base64('\u00ff').slice(0, 2) + '==' }), /radl/],
        [description({ radl: Buffer.from([0xff, 0xfe]).toString('base64') }), /UTF-8/],
        [description({ requirements: { resources: { cores: '4' } } }), /cores/],
        [description({ requirements: { resources: { memory: 0 } } }), /memory/],
        [description({ requirements: { regions: 'north' } }), /regions/],
        [description({ preferences: { sites: { 'site-a': 1 } } }), /sites/],
        [description({ identity: 7 }), /identity/],
        [{ radl: base64('x'), deep: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) }, /nested more than 32 levels/],
        [[description()], /JSON object/],
      ];
      for (const [body, why] of bad) {
        const response = await deploy(body);
        assert.equal(response.status, 400, `${JSON.stringify(body).slice(0, 200)}: ${response.text}`);
        assert.match(response.body.error, why, JSON.stringify(body).slice(0, 200));
      }
    });

    test('a machine whose image cannot be pulled is unable (no cloud could deploy it), and IMC says why', async () => {
      const { body } = await deploy(description());
      const unable = await s.until(body.id, bob.authorization, 'unable');
      assert.match(unable.body.status_reason, /^pulling image .*ubuntu:22\.04 failed: the registry is unreachable/);
      assert.equal(unable.body.cloud, 'site-a');
    });

    test(
      'machines are described, listed by cloud and deleted like jobs; a server made natively reports its driver',
      { skip },
      async () => {
        const { body } = await deploy(
          description({ requirements: runnable, identity: 'alice@example.org', preferences: { sites: ['site-b'] } }),
        );
        const configured = await s.until(body.id, bob.authorization, 'configured');
        assert.deepEqual(configured.body, {
          status: 'configured',
          status_reason: null,
          cloud: 'site-b',
          infra_id: body.id,
        });
        const onB = await s.imc('GET', '/v1/infrastructures?status=configured&cloud=site-b', bob.authorization);
        assert.equal(onB.body.find((i: any) => i.id === body.id)?.identity, 'alice@example.org');
        const onA = await s.imc('GET', '/v1/infrastructures?status=configured&cloud=site-a', bob.authorization);
        assert.equal(
          onA.body.some((i: any) => i.id === body.id),
          false,
        );

        const made = await s.server.call('POST', '/api/v1/teams/imc/resources', {
          token: bob.token,
          body: { kind: 'server', name: 'native-server' },
        });
        assert.equal(made.status, 201, made.text);
        assert.equal((await s.until(made.body.metadata.id, bob.authorization, 'configured')).body.cloud, 'local');

        assert.equal((await s.imc('DELETE', `/v1/infrastructures/${body.id}`, bob.authorization)).status, 200);
        await s.until(body.id, bob.authorization, 'deleted');
      },
    );
  });
}
