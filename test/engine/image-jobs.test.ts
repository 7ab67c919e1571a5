// Jobs of the native API in images from a real registry: the digest and the pull's phases in status and on the
// change feed, and pulls that fail (no such image, registry down) retried with backoff, then failed saying why.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { freePort } from '../support/process-server.ts';
import { imageTestsSkipped, pushBusyboxImage, testRegistry } from '../support/registry.ts';
import { startServer, type TestServer } from '../support/server.ts';

const skip = imageTestsSkipped();
const registry = skip ? undefined : testRegistry();
const repository = `engine/${randomBytes(4).toString('hex')}/tiny`;
const digest = registry ? pushBusyboxImage(registry, repository, '1', 'hello from the registry') : '';

for (const backend of backends()) {
  describe(`jobs in registry images through the engine [${backend}]`, { skip }, () => {
    let server: TestServer;
    let token = '';
    let down = '';
    const base = '/api/v1/teams/pulls/resources';
    const get = async (id: string) => (await server.call('GET', `${base}/${id}`, { token })).body;
    const until = (id: string, state: string) =>
      eventually(
        () => get(id),
        (r) => r.status.state === state,
        `${id} ${state}`,
        60,
      );
    const create = async (name: string, spec: unknown) => {
      const response = await server.call('POST', base, { token, body: { kind: 'job', name, spec } });
      assert.equal(response.status, 201, response.text);
      return response.body.metadata.id as string;
    };
    const attempts = async (id: string) =>
      (await server.call('GET', `${base}/${id}/operations`, { token })).body.items[0].attempts;

    before(async () => {
      down = `127.0.0.1:${await freePort()}`;
      server = await startServer(backend, {
        engine: {
          workers: 2,
          backoffBaseMs: 50,
          backoffMaxMs: 200,
          maxAttempts: 3,
          local: {
            images: {
              defaultRegistry: registry!.address,
              registries: { [registry!.address]: { insecure: true }, [down]: { insecure: true } },
            },
          },
        },
      });
      token = (await server.user('puller')).token;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'pulls' } });
    });
    after(() => server.close());

    test('a job pulls its image, runs it, and has the digest in its status; the pull shows on the change feed', async () => {
      const id = await create('pulled', { image: `${repository}:1` });
      const done = await until(id, 'succeeded');
      assert.equal(done.status.details.image.digest, digest);
      assert.equal(done.status.details.image.reference, `${registry!.address}/${repository}:1`);
      const logs = await server.call('GET', `${base}/${id}/logs/i0/stdout`, { token });
      assert.equal(logs.text, 'hello from the registry\n');
      const events = await server.call('GET', '/api/v1/events?team=pulls&limit=500', { token });
      const messages = events.body.items
        .filter((event: any) => event.object.id === id && event.type === 'resource.status')
        .map((event: any) => event.data.message as string);
      assert.match(messages[0], /^resolving image /);
      assert.ok(
        messages.some((message: string) => /^pulling image .*: 1 of 1 layers/.test(message)),
        messages.join('\n'),
      );
      assert.ok(
        messages.some((message: string) => /^unpacking image .* \(sha256:/.test(message)),
        messages.join('\n'),
      );
    });

    test('a digest-pinned image runs that digest', async () => {
      const id = await create('pinned', { image: `${registry!.address}/${repository}@${digest}`, cmd: 'true' });
      assert.equal((await until(id, 'succeeded')).status.details.image.digest, digest);
    });

    test('an image the registry lacks is retried, then the job fails saying so', async () => {
      const id = await create('missing', { image: `${repository}-missing:1`, cmd: 'true' });
      const failed = await until(id, 'failed');
      assert.match(failed.status.message, /^pulling image .*-missing:1 failed: the registry has no such image/);
      assert.equal(await attempts(id), 3);
    });

    test('a registry that is down is retried, then the job fails saying so', async () => {
      const id = await create('unreachable', { image: `${down}/${repository}:1`, cmd: 'true' });
      const failed = await until(id, 'failed');
      assert.match(failed.status.message, /failed: the registry is unreachable/);
      assert.equal(await attempts(id), 3);
    });
  });
}
