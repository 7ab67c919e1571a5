// A deleted lambda instance or application uuid can be created again, as the original (which removed the row) allowed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import { startServer, type TestServer } from '../../support/server.ts';
import { applicationBody, instanceBody, nativeToken, startOkeanos, withToken } from './support.ts';

const instanceExists = '{"errors":[{"status":409,"detail":"The specified lambda instance has already been created."}]}';

for (const backend of backends()) {
  describe(`okeanos: re-creating a deleted uuid [${backend}]`, () => {
    let server: TestServer;
    let user = { id: '', token: '' };
    let alice: ReturnType<typeof withToken>;

    before(async () => {
      server = await startOkeanos(backend);
      user = await nativeToken(server, 'recreator');
      alice = withToken(server, user.token);
    });
    after(() => server.close());

    const resource = (uuid: string) =>
      server.call('GET', `/api/v1/teams/okeanos-${user.id}/resources/${uuid}?includeDeleted=true`, {
        token: user.token,
      });
    const deleted = (uuid: string) =>
      eventually(
        () => resource(uuid),
        (r) => r.body.status?.state === 'deleted',
        'deleted by the engine',
      );

    test('a lambda instance deleted through the engine is created again under its uuid, as new', async () => {
      const body = instanceBody({ name: 'first life', status: '2' });
      assert.equal((await alice('POST', '/api/lambda_instances/', { body })).status, 202);
      assert.equal(
        (await alice('POST', `/api/lambda_instances/${body.uuid}/status`, { body: { status: '20' } })).status,
        202,
      );
      assert.equal((await alice('DELETE', `/api/lambda_instances/${body.uuid}/`)).status, 202);
      await deleted(body.uuid);

      const again = await alice('POST', '/api/lambda_instances/', {
        body: { ...body, name: 'second life', status: '3' },
      });
      assert.equal(again.status, 202, again.text);
      const listed = (await alice('GET', '/api/lambda_instances/')).body.data.filter(
        (item: any) => item.uuid === body.uuid,
      );
      assert.deepEqual(
        listed.map((item: any) => [item.name, item.status]),
        [['second life', '3']],
      );
      const revived = (await resource(body.uuid)).body;
      assert.deepEqual(
        [revived.status.state, revived.spec.displayName, revived.metadata.generation],
        ['provisioning', 'second life', 1],
      );
      assert.equal(
        (await alice('POST', `/api/lambda_instances/${body.uuid}/status`, { body: { status: '20' } })).status,
        202,
        'the new record takes status updates',
      );
      assert.equal(
        (await alice('POST', '/api/lambda_instances/', { body })).text,
        instanceExists,
        'a live uuid is still taken',
      );
    });

    test('a record deleted before the engine saw it is created again at once', async () => {
      const body = applicationBody();
      assert.equal((await alice('POST', '/api/lambda_applications/', { body })).status, 202);
      assert.equal((await alice('DELETE', `/api/lambda_applications/${body.uuid}`)).status, 202);
      await deleted(body.uuid);
      const again = await alice('POST', '/api/lambda_applications/', {
        body: { ...body, description: 'uploaded again' },
      });
      assert.equal(again.status, 202, again.text);
      const listed = (await alice('GET', '/api/lambda_applications/')).body.data.filter(
        (item: any) => item.uuid === body.uuid,
      );
      assert.deepEqual(
        listed.map((item: any) => item.description),
        ['uploaded again'],
      );
    });

    test("the deleted record's history stays in the audit log", async () => {
      const body = instanceBody();
      await alice('POST', '/api/lambda_instances/', { body });
      await alice('DELETE', `/api/lambda_instances/${body.uuid}`);
      await deleted(body.uuid);
      assert.equal((await alice('POST', '/api/lambda_instances/', { body })).status, 202);
      const events = await server.call('GET', `/api/v1/events?limit=500`, { token: user.token });
      const types = events.body.items
        .filter((event: any) => event.object.id === body.uuid)
        .map((event: any) => event.type);
      assert.deepEqual(
        types.filter((type: string) => type === 'resource.created'),
        ['resource.created', 'resource.created'],
      );
      assert.ok(types.includes('resource.deleted'));
    });

    test("another user's deleted uuid stays theirs: a 409", async () => {
      const bob = withToken(server, (await nativeToken(server, 'recreator-bob')).token);
      const body = instanceBody();
      await bob('POST', '/api/lambda_instances/', { body });
      await bob('DELETE', `/api/lambda_instances/${body.uuid}`);
      const again = await alice('POST', '/api/lambda_instances/', { body });
      assert.equal(again.status, 409);
      assert.equal(again.text, instanceExists);
    });
  });

  describe(`okeanos: a uuid still being deleted [${backend}]`, () => {
    let server: TestServer;
    before(async () => {
      // No workers: a deletion the engine must carry out stays `deleting`.
      server = await startServer(backend, { engine: { workers: 0 } });
    });
    after(() => server.close());

    test('is a 409 until the engine has deleted it', async () => {
      const alice = withToken(server, (await nativeToken(server, 'slow-deleter')).token);
      const body = instanceBody({ status: '2' });
      await alice('POST', '/api/lambda_instances/', { body });
      await alice('POST', `/api/lambda_instances/${body.uuid}/status`, { body: { status: '20' } });
      assert.equal((await alice('DELETE', `/api/lambda_instances/${body.uuid}`)).status, 202);
      assert.equal((await alice('GET', '/api/lambda_instances/')).body.data.length, 0, 'gone for okeanos');
      const again = await alice('POST', '/api/lambda_instances/', { body });
      assert.equal(again.status, 409);
      assert.equal(again.text, instanceExists);
    });
  });
}
