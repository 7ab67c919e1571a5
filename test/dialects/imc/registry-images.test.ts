// IMC's job table names an image that is pulled from a registry: run by tag and by digest, and a missing one
// ends failed for IMC with the pull's reason.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { imageTestsSkipped, pushBusyboxImage, testRegistry } from '../../support/registry.ts';
import { startImcServer, type ImcServer, type ImcUser } from './support.ts';

const skip = imageTestsSkipped();
const registry = skip ? undefined : testRegistry();
const repository = `imc/${randomBytes(4).toString('hex')}/tiny`;
const digest = registry ? pushBusyboxImage(registry, repository, '1', 'hello from imc') : '';

for (const backend of backends()) {
  describe(`IMC jobs in registry images [${backend}]`, { skip }, () => {
    let s: ImcServer;
    let bob: ImcUser;
    const deploy = async (body: unknown) => {
      const created = await s.imc('POST', '/v1/infrastructures', bob.authorization, body);
      assert.equal(created.status, 201, created.text);
      return created.body.id as string;
    };
    const native = (id: string) => s.server.call('GET', `/api/v1/teams/imc/resources/${id}`, { token: bob.token });

    before(async () => {
      s = await startImcServer(
        backend,
        undefined,
        {},
        { images: { registries: { [registry!.address]: { insecure: true } } } },
      );
      bob = await s.user('bob', 'member');
    });
    after(() => s.server.close());

    test("a job table's image is pulled and run, by tag and by digest", async () => {
      const tagged = await deploy({ image: `${registry!.address}/${repository}:1` });
      const pinned = await deploy({
        image: `${registry!.address}/${repository}@${digest}`,
        cmd: 'echo',
        args: 'pinned',
      });
      for (const id of [tagged, pinned]) {
        const described = await s.until(id, bob.authorization, 'configured', 'failed');
        assert.equal(described.body.status, 'configured', described.text);
      }
      const done = await native(tagged);
      assert.equal(done.body.status.details.image.digest, digest);
      const stdout = (id: string) =>
        s.server.call('GET', `/api/v1/teams/imc/resources/${id}/logs/i0/stdout`, { token: bob.token });
      assert.equal((await stdout(tagged)).text, 'hello from imc\n');
      assert.equal((await stdout(pinned)).text, 'pinned\n');
    });

    test('an image the registry lacks ends unable (no cloud could deploy it), with the reason', async () => {
      const id = await deploy({ image: `${registry!.address}/${repository}-missing:1`, cmd: 'true' });
      const unable = await s.until(id, bob.authorization, 'unable');
      assert.match(unable.body.status_reason, /the registry has no such image/);
    });
  });
}
