// Replays the seed document (okeanos-lambda-central-api.md) operation by operation, as a service VM would.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import type { TestServer } from '../../support/server.ts';
import {
  applicationBody,
  instanceBody,
  startFakeAstakos,
  startOkeanos,
  withToken,
  type FakeAstakos,
} from './support.ts';

for (const backend of backends()) {
  describe(`okeanos seed: the central service's operations [${backend}]`, () => {
    let astakos: FakeAstakos;
    let server: TestServer;
    let serviceVm: ReturnType<typeof withToken>;
    const anonymous = () => withToken(server, undefined);
    const count = async (path: string) => (await anonymous()('GET', path)).body.data.count;

    before(async () => {
      astakos = await startFakeAstakos();
      server = await startOkeanos(backend, { identityUrl: astakos.url });
      astakos.users.set('tJ3b3f32f23ceuqdoS_TH7m0d6yxmlWL1r2ralKcttR', randomUUID());
      serviceVm = withToken(server, 'tJ3b3f32f23ceuqdoS_TH7m0d6yxmlWL1r2ralKcttR');
    });
    after(async () => {
      await server.close();
      await astakos.close();
    });

    test('create user: no API call, the user is created from the HTTP headers of a first request', async () => {
      const before = (await server.call('GET', '/api/v1/stats')).body.users;
      assert.equal((await serviceVm('GET', '/api/lambda_instances')).status, 200);
      assert.equal((await server.call('GET', '/api/v1/stats')).body.users, before + 1);
    });

    test('users count (GET /api/users/count, no authorization): users having lambda instances', async () => {
      assert.equal(await count('/api/users/count'), '0');
      await serviceVm('POST', '/api/lambda_instances/', { body: instanceBody() });
      assert.equal(await count('/api/users/count'), '1');
    });

    test('create, update, list and destroy a lambda instance; count the running ones', async () => {
      const body = instanceBody({
        uuid: '24b8a635-8d71-4016-b8f5-c4a14348ed8f',
        status: '2',
        name: 'My frist Lambda instance',
      });
      const running = Number(await count('/api/lambda_instances/count'));
      assert.equal((await serviceVm('POST', '/api/lambda_instances/', { body })).status, 202);
      for (const status of ['10', '12', '14', '16', '18']) {
        assert.equal(
          (await serviceVm('POST', `/api/lambda_instances/${body.uuid}/status`, { body: { status } })).status,
          202,
        );
      }
      assert.equal(await count('/api/lambda_instances/count'), String(running));
      assert.equal(
        (
          await serviceVm('POST', `/api/lambda_instances/${body.uuid}/status`, {
            body: { status: '20', failure_message: 'OK' },
          })
        ).status,
        202,
      );
      assert.equal(await count('/api/lambda_instances/count'), String(running + 1));
      const listed = (await serviceVm('GET', '/api/lambda_instances')).body.data.find((i: any) => i.uuid === body.uuid);
      assert.deepEqual(listed, {
        uuid: body.uuid,
        name: 'My frist Lambda instance',
        instance_info: body.instance_info,
        status: '20',
        failure_message: 'OK',
      });
      assert.equal((await serviceVm('DELETE', `/api/lambda-instances/${body.uuid}`)).status, 202);
      assert.equal(await count('/api/lambda_instances/count'), String(running));
      assert.ok(!(await serviceVm('GET', '/api/lambda_instances')).body.data.some((i: any) => i.uuid === body.uuid));
    });

    test('the API document\'s own example: an empty instance_info and status "20"', async () => {
      const body = {
        uuid: randomUUID(),
        name: 'My frist Lambda instance',
        instance_info: '',
        status: '20',
        failure_message: 'OK',
      };
      assert.equal((await serviceVm('POST', '/api/lambda_instances/', { body })).status, 202);
      const listed = (await serviceVm('GET', '/api/lambda_instances/')).body.data.find(
        (i: any) => i.uuid === body.uuid,
      );
      assert.equal(listed.instance_info, '');
    });

    test('create, update, list and destroy a lambda application; count the uploaded ones', async () => {
      const body = applicationBody({ status: '1' });
      const uploaded = Number(await count('/api/lambda_applications/count'));
      assert.equal((await serviceVm('POST', '/api/lambda_applications/', { body })).status, 202);
      assert.equal(await count('/api/lambda_applications/count'), String(uploaded));
      assert.equal(
        (await serviceVm('POST', `/api/lambda_applications/${body.uuid}/status`, { body: { status: '0' } })).status,
        202,
      );
      assert.equal(await count('/api/lambda_applications/count'), String(uploaded + 1));
      const listed = (await serviceVm('GET', '/api/lambda_applications')).body.data.find(
        (i: any) => i.uuid === body.uuid,
      );
      assert.deepEqual(listed, {
        uuid: body.uuid,
        description: body.description,
        name: body.name,
        status: '0',
        failure_message: '',
      });
      assert.equal((await serviceVm('DELETE', `/api/lambda_applications/${body.uuid}`)).status, 202);
      assert.equal(await count('/api/lambda_applications/count'), String(uploaded));
    });

    test('a failed application upload carries its failure message', async () => {
      const body = applicationBody({ status: '1' });
      await serviceVm('POST', '/api/lambda_applications/', { body });
      await serviceVm('POST', `/api/lambda_applications/${body.uuid}/status`, {
        body: { status: '2', failure_message: 'Pithos+ upload failed.' },
      });
      const listed = (await serviceVm('GET', '/api/lambda_applications')).body.data.find(
        (i: any) => i.uuid === body.uuid,
      );
      assert.deepEqual([listed.status, listed.failure_message], ['2', 'Pithos+ upload failed.']);
    });
  });
}
