// PROMINENCE's hooks against cloudplane's IMC, called as they call IMC (see prominence.ts for each call's source).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { imageTestsSkipped, pushBusyboxImage, testRegistry } from '../../support/registry.ts';
import { startImcServer, type ImcServer, type ImcUser } from './support.ts';
import {
  createInfrastructure,
  defaultIni,
  deleteInfrastructure,
  describeJob,
  getInfrastructureStatus,
  newInfraUid,
  singleNodeRadl,
  type ProminenceIni,
  type ProminenceJob,
} from './prominence.ts';

// Three sites: `local` (the default one) first, then two a placement policy or a preference can pick.
const clouds = {
  local: { region: 'local' },
  'cloud-uk': { region: 'uk' },
  'cloud-de': { region: 'de', groups: ['atlas'] },
};

// The stock prominence.ini asks for ubuntu 16.04: here that is a small image in the test registry, so machines run.
const skip = imageTestsSkipped();
const registry = skip ? undefined : testRegistry();
const repository = `prominence/${randomBytes(4).toString('hex')}/ubuntu`;
if (registry) pushBusyboxImage(registry, repository, '16.04');
const ubuntu = `${registry?.address}/${repository}:16.04`;

const job = (overrides: Partial<ProminenceJob> = {}): ProminenceJob => ({
  resources: { nodes: 1, cpus: 2, memory: 4, disk: 20 },
  groups: 'atlas,cms',
  identity: 'jane.doe@example.org',
  jobId: '1234.0',
  wantMpi: false,
  radl: singleNodeRadl('infra', 2, 4),
  ...overrides,
});

for (const backend of backends()) {
  describe(`PROMINENCE's IMC hooks work unchanged [${backend}]`, { skip }, () => {
    let s: ImcServer;
    let bob: ImcUser;
    let ini: ProminenceIni;
    const native = (id: string) => s.server.call('GET', `/api/v1/teams/imc/resources/${id}`, { token: bob.token });
    const servers = async () =>
      (
        await s.server.call('GET', '/api/v1/teams/imc/resources?kind=server&includeDeleted=true&limit=500', {
          token: bob.token,
        })
      ).body.items;
    /** cloud_hook_update_job_info runs every few minutes until the state is configured (or failed, or unable). */
    const pollUntil = (id: string, ...wanted: string[]) =>
      eventually(
        () => getInfrastructureStatus(ini, id),
        ([state]) => state !== null && wanted.includes(state),
        `${id} ${wanted.join(' or ')}`,
        60,
      );
    const deploy = async (uid: string, data: unknown) => {
      const id = await createInfrastructure(ini, uid, data);
      assert.equal(id, uid, 'the Idempotency-Key is the infrastructure id');
      return id as string;
    };

    before(async () => {
      s = await startImcServer(
        backend,
        undefined,
        { clouds, images: { ubuntu: { '16.04': ubuntu } } },
        { images: { registries: { [registry!.address]: { insecure: true } } } },
      );
      bob = await s.user('bob', 'member');
      ini = defaultIni(`${s.server.url}/v1/infrastructures`, 'bob', 'bob-password');
    });
    after(() => s.server.close());

    test('a job deployed with the stock prominence.ini is a machine on the first site, configured, then deleted', async () => {
      const uid = newInfraUid();
      const radl = singleNodeRadl(uid, 2, 4);
      const data = describeJob(ini, job({ radl }), uid, 1767225600);
      const id = await deploy(uid, data);

      const [state, reason, cloud] = await pollUntil(id, 'configured');
      assert.deepEqual([state, reason, cloud], ['configured', null, 'local']);

      const machine = await native(id);
      assert.equal(machine.body.metadata.kind, 'server');
      assert.equal(machine.body.metadata.labels['imc/cloud'], 'local');
      const { image, cpus, memoryMiB, diskGiB, radl: kept, extra } = machine.body.spec;
      assert.deepEqual({ image, cpus, memoryMiB, diskGiB }, { image: ubuntu, cpus: 2, memoryMiB: 4096, diskGiB: 20 });
      assert.equal(kept, radl, 'the RADL is decoded for the driver');
      assert.deepEqual(
        extra,
        Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'radl')),
        'everything else is kept as sent',
      );

      assert.equal(await deleteInfrastructure(ini, id), 0);
      const [next] = await getInfrastructureStatus(ini, id);
      assert.ok(['deletion-requested', 'deleting', 'deleted'].includes(next!), String(next));
      await pollUntil(id, 'deleted');
      assert.equal(await deleteInfrastructure(ini, id), 0, 'a retried delete succeeds again');
    });

    test('a retry after the 20 s timeout answers 200 with the same id and deploys nothing more', async () => {
      const uid = newInfraUid();
      const data = describeJob(ini, job(), uid, 1767225601);
      const before = (await servers()).length;
      assert.equal(await deploy(uid, data), uid);
      assert.equal(await deploy(uid, data), uid);
      assert.equal((await servers()).length, before + 1);
      const machines = (await servers()).filter((server: any) => server.metadata.id === uid);
      assert.equal(machines.length, 1);
    });

    test('an MPI job with a placement policy goes to the site it requires; preferences it overrides are sent as {}', async () => {
      const uid = newInfraUid();
      const data = describeJob(
        ini,
        job({ wantMpi: true, policies: { placement: { requirements: { sites: ['cloud-uk'] } } } }),
        uid,
        1767225602,
      );
      assert.deepEqual(data.preferences, { regions: {}, sites: {} });
      assert.deepEqual(data.requirements.tags, { 'multi-node-jobs': 'true' });
      const id = await deploy(uid, data);
      const [, , cloud] = await pollUntil(id, 'configured');
      assert.equal(cloud, 'cloud-uk');
      assert.deepEqual((await native(id)).body.spec.extra.requirements.tags, { 'multi-node-jobs': 'true' });
    });

    test("the site ranking follows prominence.ini's preferred regions, among the sites the job's groups may use", async () => {
      const preferring = { ...ini, deployment: { ...ini.deployment, 'pref-regions': 'de,uk' } };
      const uid = newInfraUid();
      const id = await createInfrastructure(preferring, uid, describeJob(preferring, job(), uid, 1767225603));
      assert.equal((await pollUntil(id!, 'configured'))[2], 'cloud-de');
      const other = newInfraUid();
      const notAtlas = await createInfrastructure(
        preferring,
        other,
        describeJob(preferring, job({ groups: 'cms' }), other, 1767225604),
      );
      assert.equal((await pollUntil(notAtlas!, 'configured'))[2], 'cloud-uk', 'cloud-de serves only atlas');
    });

    test('any identity is accepted: an OIDC subject, or none', async () => {
      for (const identity of ['a1b2c3d4e5f6@egi.eu', 'https://login.example.org/oidc|0b7f9a', null]) {
        const uid = newInfraUid();
        assert.equal(await deploy(uid, describeJob(ini, job({ identity }), uid, 1767225605)), uid);
        assert.equal((await native(uid)).body.spec.extra.identity, identity);
      }
    });

    test('a job no site here can take fails at once, and its retries store nothing', async () => {
      const elsewhere = { ...ini, deployment: { ...ini.deployment, 'req-sites': 'cloud-fr' } };
      const slackware = { ...ini, vm: { ...ini.vm, 'image-dist': 'slackware' } };
      const before = (await servers()).length;
      for (const settings of [elsewhere, slackware]) {
        const uid = newInfraUid();
        const data = describeJob(settings, job(), uid, 1767225606);
        assert.equal(await createInfrastructure(settings, uid, data), null);
        assert.equal(await createInfrastructure(settings, uid, data), null, 'the retry fails the same way');
        assert.deepEqual(await getInfrastructureStatus(settings, uid), [null, null]);
      }
      assert.equal((await servers()).length, before);
    });

    test('wrong credentials fail every call, as the hooks see a failure', async () => {
      const wrong = { ...ini, password: 'not-the-password' };
      const uid = newInfraUid();
      assert.equal(await createInfrastructure(wrong, uid, describeJob(wrong, job(), uid, 1767225607)), null);
      assert.deepEqual(await getInfrastructureStatus(wrong, uid), [null, null]);
      assert.equal(await deleteInfrastructure(wrong, uid), 1);
      assert.deepEqual(await getInfrastructureStatus(ini, uid), [null, null], 'nothing was deployed');
    });

    test('the status of an infrastructure nobody deployed is a failure to the hook (404), and so is deleting it', async () => {
      const unknown = newInfraUid();
      assert.deepEqual(await getInfrastructureStatus(ini, unknown), [null, null]);
      assert.equal(await deleteInfrastructure(ini, unknown), 1);
    });
  });
}
