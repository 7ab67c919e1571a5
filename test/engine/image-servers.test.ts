// Servers of the native API in images from a real registry: the process runs inside the image's root filesystem
// under bubblewrap, the digest and the pull's phases are in status, a pull that fails fails the server saying why,
// and a server without an image still runs on the host.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { backends } from '../support/backends.ts';
import { eventually } from '../support/eventually.ts';
import { isGone } from '../drivers/local-driver-host.ts';
import { imageTestsSkipped, pushBusyboxImage, testRegistry } from '../support/registry.ts';
import { startServer, type TestServer } from '../support/server.ts';

const skip = imageTestsSkipped();
const registry = skip ? undefined : testRegistry();
const repository = `servers/${randomBytes(4).toString('hex')}/tiny`;
const digest = registry ? pushBusyboxImage(registry, repository, '1', 'not run by a server') : '';

for (const backend of backends()) {
  describe(`servers in registry images through the engine [${backend}]`, { skip }, () => {
    let server: TestServer;
    let token = '';
    const base = '/api/v1/teams/machines/resources';
    const get = async (id: string) => (await server.call('GET', `${base}/${id}`, { token })).body;
    const until = (id: string, state: string) =>
      eventually(
        () => get(id),
        (r) => r.status.state === state,
        `${id} ${state}`,
        60,
      );
    const create = async (name: string, spec: unknown) => {
      const response = await server.call('POST', base, { token, body: { kind: 'server', name, spec } });
      assert.equal(response.status, 201, response.text);
      return response.body.metadata.id as string;
    };
    const act = async (id: string, action: string) =>
      assert.equal((await server.call('POST', `${base}/${id}/actions/${action}`, { token })).status, 202);
    const workdir = (id: string) => path.join(server.app.ctx.config.engine.stateDir, 'local', 'server', id, 'work');

    before(async () => {
      server = await startServer(backend, {
        engine: {
          workers: 2,
          backoffBaseMs: 50,
          backoffMaxMs: 200,
          maxAttempts: 2,
          local: { images: { registries: { [registry!.address]: { insecure: true } } } },
        },
      });
      token = (await server.user('operator')).token;
      await server.call('POST', '/api/v1/teams', { token, body: { name: 'machines' } });
    });
    after(() => server.close());

    test("a server's command runs inside its pulled image, and its status has the digest and the pull's phases", async () => {
      const id = await create('web', {
        image: `${registry!.address}/${repository}:1`,
        command: ['/bin/sh', '-c', 'ls / > /work/root.txt; echo $PATH > /work/path.txt; exec sleep 600'],
      });
      const active = await until(id, 'active');
      assert.deepEqual(active.status.details.image, {
        name: `${registry!.address}/${repository}:1`,
        phase: 'ready',
        source: 'registry',
        reference: `${registry!.address}/${repository}:1`,
        digest,
      });
      // path.txt is written after root.txt: once it is there, both are whole.
      const pathText = await eventually(
        async () => {
          try {
            return readFileSync(path.join(workdir(id), 'path.txt'), 'utf8');
          } catch {
            return '';
          }
        },
        (text) => text !== '',
        'the PATH the command saw',
      );
      const root = readFileSync(path.join(workdir(id), 'root.txt'), 'utf8');
      // The image holds only /bin; bubblewrap adds the rest. The host's /usr and /etc are not there.
      assert.deepEqual(root.split('\n').filter(Boolean).sort(), ['bin', 'dev', 'proc', 'tmp', 'work']);
      assert.equal(pathText, '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
      const events = await server.call('GET', '/api/v1/events?team=machines&limit=500', { token });
      const messages = events.body.items
        .filter((event: any) => event.object.id === id && event.type === 'resource.status')
        .map((event: any) => event.data.message as string);
      assert.match(messages[0], /^resolving image /);
      assert.ok(
        messages.some((m: string) => /^pulling image .*: 1 of 1 layers/.test(m)),
        messages.join('\n'),
      );
      assert.ok(
        messages.some((m: string) => /^unpacking image .* \(sha256:/.test(m)),
        messages.join('\n'),
      );
    });

    test('a server in an image without a command idles in it; stop, start and delete act on its process', async () => {
      const id = await create('idle', { image: `${registry!.address}/${repository}@${digest}` });
      const pid = (await until(id, 'active')).status.details.pid as number;
      assert.ok(!isGone(pid));
      await act(id, 'stop');
      await until(id, 'stopped');
      assert.ok(isGone(pid));
      await act(id, 'start');
      const again = (await until(id, 'active')).status.details.pid as number;
      assert.equal((await get(id)).status.details.image.digest, digest);
      assert.equal((await server.call('DELETE', `${base}/${id}`, { token })).status, 202);
      await until(id, 'deleted');
      assert.ok(isGone(again));
    });

    test('an image the registry lacks is retried, then the server fails saying so', async () => {
      const id = await create('missing', { image: `${registry!.address}/${repository}-missing:1` });
      const failed = await until(id, 'failed');
      assert.match(failed.status.message, /^pulling image .*-missing:1 failed: the registry has no such image/);
    });

    test('a server without an image runs its command on the host, as before', async () => {
      const id = await create('plain', { command: ['/bin/sh', '-c', 'pwd > where.txt; exec sleep 600'] });
      const active = await until(id, 'active');
      assert.equal(active.status.details.image, undefined);
      const where = await eventually(
        async () => {
          try {
            return readFileSync(path.join(workdir(id), 'where.txt'), 'utf8');
          } catch {
            return '';
          }
        },
        (text) => text !== '',
        'the working directory',
      );
      assert.equal(where, `${workdir(id)}\n`);
    });
  });
}
