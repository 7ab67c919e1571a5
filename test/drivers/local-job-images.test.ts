// Jobs in images pulled from a real registry: digests, progress, the shared cache, pruning, mirrors, failures.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { PermanentDriverError, type DriverResource } from '../../src/drivers/driver.ts';
import { createImageCache } from '../../src/drivers/local/images/image-cache.ts';
import { withRegistryAccess } from '../../src/drivers/local/images/registry-access.ts';
import { createLocalJobDriver } from '../../src/drivers/local/job/driver.ts';
import { jobLogPaths } from '../../src/drivers/local/job/files.ts';
import type { Registries } from '../../src/drivers/local/images/registry-access.ts';
import { sandboxMaker } from './local-driver-host.ts';
import { blobDownloads, imageTestsSkipped, pushBusyboxImage, testRegistry } from '../support/registry.ts';
import { freePort } from '../support/process-server.ts';

const skip = imageTestsSkipped();
const sandbox = sandboxMaker();

describe('jobs in images pulled from a registry', { skip }, () => {
  const registry = skip ? undefined! : testRegistry();
  const repository = `test/${randomBytes(4).toString('hex')}/tiny`;
  const image = `${registry?.address}/${repository}`;
  const digest = skip ? '' : pushBusyboxImage(registry, repository, '1', 'hello from the image');
  const insecure: Registries = skip ? {} : { [registry.address]: { mirrors: [], insecure: true } };

  const setup = (options: { maxBytes?: number; registries?: Registries } = {}) => {
    const box = sandbox();
    const cacheDir = path.join(box.dir, 'image-cache');
    const images = createImageCache({
      cacheDir,
      maxBytes: options.maxBytes ?? 1024 ** 3,
      defaultRegistry: registry.address,
      registries: options.registries ?? insecure,
    });
    const driver = createLocalJobDriver(box.host, box.supervisor, { workRoot: path.join(box.dir, 'jobs'), images });
    const run = async (spec: Record<string, unknown>) => {
      const resource = box.host.add('job', {
        nodes: 1,
        cpus: 1,
        memory: 1,
        instances: 1,
        env: [],
        inputs: [],
        outputFiles: [],
        outputDirs: [],
        artifacts: [],
        type: 'basic',
        ...spec,
      });
      box.host.save(resource, await driver.apply(resource));
      return resource;
    };
    const finished = async (resource: DriverResource) => {
      const observation = await box.host.reportFor(resource.id, (o) => o.state === 'succeeded' || o.state === 'failed');
      assert.equal(observation.state, 'succeeded', observation.message);
      const [logs] = await jobLogPaths(path.join(box.dir, 'jobs'), resource.id);
      return { observation, stdout: readFileSync(logs.stdout, 'utf8') };
    };
    const bundles = () => readdirSync(path.join(cacheDir, 'rootfs'));
    return { box, driver, run, finished, bundles };
  };

  test('a job naming a registry image pulls it, runs in it, and tells the digest and the phases of the pull', async () => {
    const { box, run, finished } = setup();
    const job = await run({ image: `${image}:1`, cmd: '/bin/sh', args: "-c 'echo $PWD; echo $PATH'" });
    const { observation, stdout } = await finished(job);
    assert.equal(stdout, '/work\n/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
    assert.deepEqual(observation.details?.image, {
      name: `${image}:1`,
      phase: 'ready',
      source: 'registry',
      reference: `${image}:1`,
      digest,
    });
    const progress = box.host.reports.filter((r) => r.resourceId === job.id && r.observation.state === 'provisioning');
    const phases = progress.map((r) => (r.observation.details?.image as { phase: string }).phase);
    assert.deepEqual([...new Set(phases)], ['resolving', 'pulling', 'unpacking']);
    const pulled = progress.map((r) => r.observation).findLast((o) => /^pulling image/.test(o.message))!;
    assert.match(pulled.message, /: 1 of 1 layers, [\d.]+ MiB of [\d.]+ MiB$/);
    assert.ok((pulled.details?.image as { bytes: { total: number } }).bytes.total > 1_000_000);
  });

  test("a job without a cmd runs the image's own command", async () => {
    const { run, finished } = setup();
    assert.equal((await finished(await run({ image: `${image}:1` }))).stdout, 'hello from the image\n');
  });

  test('a second job of the same image starts from the cache: no blob is downloaded again', async () => {
    const { run, finished, bundles } = setup();
    await finished(await run({ image: `${image}:1`, cmd: 'true' }));
    const downloads = blobDownloads(registry, repository);
    const second = await finished(await run({ image: `${image}:1`, cmd: 'true' }));
    assert.equal(blobDownloads(registry, repository), downloads);
    assert.equal((second.observation.details?.image as { digest: string }).digest, digest);
    assert.deepEqual(bundles(), [digest.slice('sha256:'.length)]);
  });

  test('a digest-pinned reference runs that manifest; cached, it asks the registry nothing', async () => {
    const { run, finished } = setup();
    const pinned = `${image}@${digest}`;
    const first = await finished(await run({ image: pinned, cmd: 'true' }));
    assert.equal((first.observation.details?.image as { reference: string }).reference, pinned);
    const requests = readFileSync(registry.log, 'utf8').split(`/v2/${repository}/`).length;
    await finished(await run({ image: pinned, cmd: 'true' }));
    assert.equal(readFileSync(registry.log, 'utf8').split(`/v2/${repository}/`).length, requests);
  });

  test('images that name no registry come from the default one, and a mirror is tried before the registry', async () => {
    const { run, finished } = setup({
      // .invalid never resolves: the pull can only succeed through the mirror.
      registries: { ...insecure, 'registry.invalid': { mirrors: [registry.address], insecure: false } },
    });
    await finished(await run({ image: `${repository}:1`, cmd: 'true' }));
    const job = await run({ image: `registry.invalid/${repository}:1`, cmd: 'true' });
    assert.equal(((await finished(job)).observation.details?.image as { digest: string }).digest, digest);
  });

  test('an image the registry does not have fails with a message that says so, and is worth retrying', async () => {
    const { run } = setup();
    await assert.rejects(run({ image: `${image}-missing:1`, cmd: 'true' }), (error: Error) => {
      assert.ok(!(error instanceof PermanentDriverError));
      assert.match(
        error.message,
        /^pulling image .*-missing:1 failed: the registry has no such image \(.*manifest unknown/,
      );
      return true;
    });
    await assert.rejects(
      run({ image: `${image}@sha256:${'0'.repeat(64)}`, cmd: 'true' }),
      /the registry has no such image/,
    );
  });

  test('a registry that is down fails the pull with a message that says so', async () => {
    const down = `127.0.0.1:${await freePort()}`;
    const { run } = setup({ registries: { [down]: { mirrors: [], insecure: true } } });
    await assert.rejects(
      run({ image: `${down}/${repository}:1`, cmd: 'true' }),
      /^Error: pulling image 127\.0\.0\.1:\d+\/.* failed: the registry is unreachable \(.*connection refused/,
    );
  });

  test('beyond the size budget the least recently used image no job holds is pruned', async () => {
    const other = `test/${randomBytes(4).toString('hex')}/other`;
    const otherDigest = pushBusyboxImage(registry, other, '1', 'other');
    const { driver, run, finished, bundles } = setup({ maxBytes: 1 });
    const holder = await run({ image: `${image}:1`, cmd: 'sleep', args: '60' });
    await finished(await run({ image: `${registry.address}/${other}:1`, cmd: 'true' }));
    const hex = (d: string) => d.slice('sha256:'.length);
    assert.deepEqual(bundles().sort(), [hex(digest), hex(otherDigest)].sort(), 'a held image stays');
    await driver.remove(holder);
    const third = `test/${randomBytes(4).toString('hex')}/third`;
    const thirdDigest = pushBusyboxImage(registry, third, '1', 'third');
    await finished(await run({ image: `${registry.address}/${third}:1`, cmd: 'true' }));
    assert.deepEqual(bundles(), [hex(thirdDigest)]);
  });

  test('credentials reach skopeo only in a private auth file of mode 0600 that is gone afterwards', async () => {
    const location = {
      name: 'r.example/x',
      host: 'r.example',
      settings: { mirrors: [], insecure: false, username: 'u', password: 'p4ss' },
    };
    const seen = await withRegistryAccess(location, '--', async (options) => {
      const file = options[options.indexOf('--authfile') + 1];
      return {
        options,
        file,
        mode: statSync(file).mode & 0o777,
        dirMode: statSync(path.dirname(file)).mode & 0o777,
        text: readFileSync(file, 'utf8'),
      };
    });
    assert.equal(seen.mode, 0o600);
    assert.equal(seen.dirMode, 0o700);
    assert.ok(!seen.options.join(' ').includes('p4ss'));
    assert.deepEqual(JSON.parse(seen.text), {
      auths: { 'r.example': { auth: Buffer.from('u:p4ss').toString('base64') } },
    });
    assert.throws(() => statSync(seen.file));
  });
});
