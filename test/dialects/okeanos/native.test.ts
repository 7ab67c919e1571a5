// End to end: what okeanos records is a resource of the native API, and the other way round.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import type { TestServer } from '../../support/server.ts';
import { applicationBody, instanceBody, startOkeanos, withToken } from './support.ts';

for (const backend of backends()) {
  describe(`okeanos records as native resources [${backend}]`, () => {
    let server: TestServer;
    let bearer = '';
    let okeanos: ReturnType<typeof withToken>;
    let resources = '';

    before(async () => {
      server = await startOkeanos(backend);
      const user = await server.user('erin');
      bearer = (await server.call('POST', '/api/v1/tokens', { token: user.token, body: { name: 'vm' } })).body.token;
      okeanos = withToken(server, bearer);
      resources = `/api/v1/teams/okeanos-${user.id}/resources`;
    });
    after(() => server.close());

    const resource = (uuid: string) => server.call('GET', `${resources}/${uuid}`, { token: bearer });
    /** The engine records the creation once (the external driver then waits for the agent). */
    const applied = (uuid: string) =>
      eventually(
        async () => (await resource(uuid)).body,
        (r) => r.status?.observedGeneration >= 1,
        'applied by the engine',
      );
    const listed = async (uuid: string) =>
      (await okeanos('GET', '/api/lambda_instances/')).body.data.find((i: any) => i.uuid === uuid);

    test('a lambda instance created through okeanos is a service of the external driver, in the right state', async () => {
      const body = instanceBody({ status: '20' });
      await okeanos('POST', '/api/lambda_instances/', { body });
      const service = await applied(body.uuid);
      assert.equal(service.metadata.kind, 'service');
      assert.equal(service.metadata.id, body.uuid);
      assert.deepEqual(service.spec, {
        type: 'lambda-instance',
        displayName: body.name,
        cloud: 'okeanos',
        info: { instance_info: body.instance_info },
      });
      assert.equal(service.status.state, 'active');
      assert.equal(service.status.details.okeanosStatus, '20');
      await okeanos('POST', `/api/lambda_instances/${body.uuid}/status`, {
        body: { status: '13', failure_message: 'ansible failed' },
      });
      const failed = (await resource(body.uuid)).body;
      assert.deepEqual(
        [failed.status.state, failed.status.message, failed.status.details.okeanosStatus],
        ['failed', 'ansible failed', '13'],
      );
      await okeanos('POST', `/api/lambda_instances/${body.uuid}/status`, { body: { status: '3' } });
      assert.deepEqual(
        [(await resource(body.uuid)).body.status.state, (await resource(body.uuid)).body.status.message],
        ['provisioning', 'Lambda instance is starting.'],
      );
    });

    test('a status reported through the native API shows in the okeanos list', async () => {
      const body = instanceBody({ status: '2' });
      await okeanos('POST', '/api/lambda_instances/', { body });
      await applied(body.uuid);
      const report = (status: unknown) =>
        server.call('POST', `${resources}/${body.uuid}/status`, { token: bearer, body: status });
      assert.equal((await report({ state: 'failed', message: 'the master VM is gone' })).status, 200);
      assert.deepEqual(await listed(body.uuid), {
        uuid: body.uuid,
        name: body.name,
        instance_info: body.instance_info,
        status: '9',
        failure_message: 'the master VM is gone',
      });
      await report({ state: 'active', details: { okeanosStatus: '20' } });
      assert.equal((await listed(body.uuid)).status, '20');
      await report({ state: 'stopped' });
      assert.deepEqual([(await listed(body.uuid)).status, (await listed(body.uuid)).failure_message], ['1', '']);
    });

    test('deleting through okeanos deletes the resource; deleting natively removes the record', async () => {
      const first = instanceBody();
      await okeanos('POST', '/api/lambda_instances/', { body: first });
      await applied(first.uuid);
      await okeanos('DELETE', `/api/lambda_instances/${first.uuid}/`);
      await eventually(
        async () => (await resource(first.uuid)).body,
        (r) => r.status.state === 'deleted',
        'deleted by the engine',
      );
      const second = applicationBody();
      await okeanos('POST', '/api/lambda_applications/', { body: second });
      await server.call('DELETE', `${resources}/${second.uuid}`, { token: bearer });
      assert.equal((await okeanos('GET', '/api/lambda_applications/')).body.data.length, 0);
      assert.equal((await okeanos('DELETE', `/api/lambda_applications/${second.uuid}/`)).status, 404);
    });
  });
}
