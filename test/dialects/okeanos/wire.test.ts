import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import type { TestServer } from '../../support/server.ts';
import { applicationBody, instanceBody, nativeToken, startOkeanos, withToken } from './support.ts';

const invalidToken =
  '{"errors":[{"status":401,"detail":"Unauthorized. Request failed because user provided an invalid token."}]}';
const notProvided = '{"detail":"Authentication credentials were not provided."}';
const accepted = (description: string, id: string) =>
  JSON.stringify({ status: { code: 202, short_description: description }, data: { id } });

for (const backend of backends()) {
  describe(`okeanos wire: the reference, byte for byte [${backend}]`, () => {
    let server: TestServer;
    let alice: ReturnType<typeof withToken>;
    let bob: ReturnType<typeof withToken>;

    before(async () => {
      server = await startOkeanos(backend);
      alice = withToken(server, (await nativeToken(server, 'alice')).token);
      bob = withToken(server, (await nativeToken(server, 'bob')).token);
    });
    after(() => server.close());

    test('creating a lambda instance answers 202 with its uuid; the same uuid again is a 409, for anyone', async () => {
      const body = instanceBody();
      const created = await alice('POST', '/api/lambda_instances/', { body });
      assert.equal(created.status, 202);
      assert.equal(created.headers.get('content-type'), 'application/json');
      assert.equal(
        created.text,
        accepted('Your request to create a new lambda instance has been accepted.', body.uuid),
      );
      const again = await alice('POST', '/api/lambda_instances', { body });
      assert.equal(again.status, 409);
      assert.equal(
        again.text,
        '{"errors":[{"status":409,"detail":"The specified lambda instance has already been created."}]}',
      );
      assert.equal((await bob('POST', '/api/lambda_instances/', { body })).status, 409);
    });

    test("a list holds only the caller's instances, each as the original serialized it", async () => {
      const body = instanceBody({ name: 'Mine', status: '9', failure_message: 'SSH connection timed out.' });
      await alice('POST', '/api/lambda_instances/', { body });
      await bob('POST', '/api/lambda_instances/', { body: instanceBody({ name: 'Theirs' }) });
      const list = await alice('GET', '/api/lambda_instances/');
      assert.equal(list.status, 200);
      const mine = list.body.data.find((item: any) => item.uuid === body.uuid);
      assert.equal(
        JSON.stringify(mine),
        JSON.stringify({
          uuid: body.uuid,
          name: 'Mine',
          instance_info: body.instance_info,
          status: '9',
          failure_message: 'SSH connection timed out.',
        }),
      );
      assert.ok(!list.body.data.some((item: any) => item.name === 'Theirs'));
      assert.deepEqual(Object.keys(list.body), ['data', 'status']);
      assert.ok(list.text.endsWith(',"status":{"code":200,"short_description":"Lambda instances."}}'));
      assert.equal((await alice('GET', '/api/lambda_instances')).text, list.text);
    });

    test("a status update answers 202; the current status again is a 409; an unknown or another user's uuid is a 404", async () => {
      const body = instanceBody({ status: '2' });
      await alice('POST', '/api/lambda_instances/', { body });
      const updated = await alice('POST', `/api/lambda_instances/${body.uuid}/status`, { body: { status: '10' } });
      assert.equal(updated.status, 202);
      assert.equal(updated.text, accepted('Lambda instances status update accepted.', body.uuid));
      const same = await alice('POST', `/api/lambda_instances/${body.uuid}/status/`, { body: { status: '10' } });
      assert.equal(same.status, 409);
      assert.equal(same.text, '{"errors":[{"status":409,"detail":"The specified lambda instance is already 10."}]}');
      const notFound = '{"errors":[{"status":404,"detail":"The specified lambda instance doesn\'t exist."}]}';
      assert.equal(
        (await bob('POST', `/api/lambda_instances/${body.uuid}/status`, { body: { status: '20' } })).text,
        notFound,
      );
      assert.equal(
        (await alice('POST', `/api/lambda_instances/${instanceBody().uuid}/status`, { body: { status: '20' } })).text,
        notFound,
      );
      assert.equal(
        (await alice('POST', '/api/lambda_instances/not-a-uuid/status', { body: { status: '20' } })).status,
        404,
      );
    });

    test('a failure message is kept until another one replaces it', async () => {
      const body = instanceBody({ status: '3' });
      await alice('POST', '/api/lambda_instances/', { body });
      await alice('POST', `/api/lambda_instances/${body.uuid}/status`, {
        body: { status: '11', failure_message: 'quota exceeded' },
      });
      await alice('POST', `/api/lambda_instances/${body.uuid}/status`, { body: { status: '9' } });
      const item = (await alice('GET', '/api/lambda_instances/')).body.data.find((i: any) => i.uuid === body.uuid);
      assert.deepEqual([item.status, item.failure_message], ['9', 'quota exceeded']);
    });

    test('deleting answers 202 under every spelling; the record is then gone', async () => {
      const paths = [
        '/api/lambda_instances/{}/',
        '/api/lambda_instances/{}',
        '/api/lambda-instances/{}',
        '/api/lambda-instances/{}/',
      ];
      for (const path of paths) {
        const body = instanceBody();
        await alice('POST', '/api/lambda_instances/', { body });
        assert.equal((await bob('DELETE', path.replace('{}', body.uuid))).status, 404);
        const deleted = await alice('DELETE', path.replace('{}', body.uuid));
        assert.equal(deleted.status, 202, path);
        assert.equal(
          deleted.text,
          accepted('Your request to destroy the specified lambda instance has been accepted.', body.uuid),
        );
        assert.ok(!(await alice('GET', '/api/lambda_instances/')).body.data.some((i: any) => i.uuid === body.uuid));
        assert.equal((await alice('DELETE', path.replace('{}', body.uuid))).status, 404);
        assert.equal(
          (await alice('POST', `/api/lambda_instances/${body.uuid}/status`, { body: { status: '0' } })).status,
          404,
        );
      }
    });

    test('lambda applications: create, duplicate, status, the shared "already" message, list, delete', async () => {
      const body = applicationBody({ status: '1' });
      const created = await alice('POST', '/api/lambda_applications/', { body });
      assert.equal(
        created.text,
        accepted('Your request to create the specified application has been accepted.', body.uuid),
      );
      assert.equal(
        (await alice('POST', '/api/lambda_applications/', { body })).text,
        '{"errors":[{"status":409,"detail":"The specified lambda application has already been created."}]}',
      );
      assert.equal(
        (await alice('POST', `/api/lambda_applications/${body.uuid}/status`, { body: { status: '0' } })).text,
        accepted('Lambda application status update accepted.', body.uuid),
      );
      assert.equal(
        (await alice('POST', `/api/lambda_applications/${body.uuid}/status`, { body: { status: '0' } })).text,
        '{"errors":[{"status":409,"detail":"The specified lambda instance is already 0."}]}',
      );
      assert.equal(
        (await bob('POST', `/api/lambda_applications/${body.uuid}/status`, { body: { status: '2' } })).text,
        '{"errors":[{"status":404,"detail":"The specified application doesn\'t exist."}]}',
      );
      const list = await alice('GET', '/api/lambda_applications/');
      assert.equal(
        list.text,
        JSON.stringify({
          data: [{ uuid: body.uuid, description: body.description, name: body.name, status: '0', failure_message: '' }],
          status: { code: 200, short_description: 'Lambda Applications.' },
        }),
      );
      assert.equal(
        (await alice('DELETE', `/api/lambda_applications/${body.uuid}/`)).text,
        accepted('Your request to delete the specified application has been accepted.', body.uuid),
      );
      assert.equal(
        (await alice('GET', '/api/lambda_applications')).text,
        '{"data":[],"status":{"code":200,"short_description":"Lambda Applications."}}',
      );
    });

    test('an instance uuid is not an application, and the other way round', async () => {
      const instance = instanceBody();
      await alice('POST', '/api/lambda_instances/', { body: instance });
      assert.equal((await alice('DELETE', `/api/lambda_applications/${instance.uuid}/`)).status, 404);
      assert.ok(
        !(await alice('GET', '/api/lambda_applications/')).body.data.some((i: any) => i.uuid === instance.uuid),
      );
    });

    test("no Authorization header, another scheme, a malformed Token header, an unknown token: DRF's 401s", async () => {
      const anonymous = withToken(server, undefined);
      for (const [method, path] of [
        ['GET', '/api/lambda_instances/'],
        ['POST', '/api/lambda_instances/'],
        ['POST', `/api/lambda_applications/${instanceBody().uuid}/status`],
        ['DELETE', `/api/lambda-instances/${instanceBody().uuid}`],
      ]) {
        const response = await anonymous(method, path, method === 'POST' ? { body: { garbage: true } } : {});
        assert.equal(response.status, 401);
        assert.equal(response.text, notProvided);
        assert.equal(response.headers.get('www-authenticate'), 'Token');
      }
      assert.equal(
        (
          await anonymous('GET', '/api/lambda_instances/', {
            headers: { authorization: `Bearer ${server.adminToken}` },
          })
        ).text,
        notProvided,
      );
      assert.equal(
        (await anonymous('GET', '/api/lambda_instances/', { headers: { authorization: 'Token' } })).text,
        '{"detail":"Invalid token header. No credentials provided."}',
      );
      assert.equal(
        (await anonymous('GET', '/api/lambda_instances/', { headers: { authorization: 'Token a b' } })).text,
        '{"detail":"Invalid token header. Token string should not contain spaces."}',
      );
      const unknown = await withToken(server, 'tJ3b3f32f23ceuqdoS_TH7m0d6yxmlWL1r2ralKcttR')(
        'GET',
        '/api/lambda_applications/',
      );
      assert.equal(unknown.status, 401);
      assert.equal(unknown.text, invalidToken);
    });

    test('bodies: every create field is required, status codes and uuids are checked', async () => {
      const missing = await alice('POST', '/api/lambda_instances/', {
        body: { ...instanceBody(), instance_info: undefined },
      });
      assert.equal(missing.text, '{"errors":[{"status":400,"detail":"instance_info: This field is required."}]}');
      const badStatus = await alice('POST', '/api/lambda_instances/', { body: instanceBody({ status: '24' }) });
      assert.equal(badStatus.text, '{"errors":[{"status":400,"detail":"status: \\"24\\" is not a valid choice."}]}');
      assert.equal(
        (await alice('POST', '/api/lambda_applications/', { body: applicationBody({ status: '3' }) })).status,
        400,
      );
      const badUuid = await alice('POST', '/api/lambda_applications/', { body: applicationBody({ uuid: 'nope' }) });
      assert.equal(badUuid.text, '{"errors":[{"status":400,"detail":"uuid: \\"nope\\" is not a valid UUID."}]}');
      const numeric = instanceBody({ status: 20, uuid: instanceBody().uuid.toUpperCase() });
      assert.equal((await alice('POST', '/api/lambda_instances/', { body: numeric })).status, 202);
      const item = (await alice('GET', '/api/lambda_instances/')).body.data.find(
        (i: any) => i.uuid === numeric.uuid.toLowerCase(),
      );
      assert.equal(item.status, '20');
      assert.equal(
        (await alice('POST', `/api/lambda_instances/${numeric.uuid}/status`, { body: {} })).text,
        '{"errors":[{"status":400,"detail":"status: This field is required."}]}',
      );
    });

    test('?limit&offset paginate lists as DRF LimitOffsetPagination does, links included', async () => {
      const carol = withToken(server, (await nativeToken(server, 'carol')).token);
      const uuids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const body = instanceBody({ name: `instance ${i}` });
        uuids.push(body.uuid);
        await carol('POST', '/api/lambda_instances/', { body });
      }
      const base = `${server.url}/api/lambda_instances/`;
      const first = await carol('GET', '/api/lambda_instances/?limit=1');
      assert.deepEqual(Object.keys(first.body), ['data', 'pagination', 'status']);
      assert.deepEqual(
        first.body.data.map((i: any) => i.uuid),
        [uuids[0]],
      );
      assert.equal(
        JSON.stringify(first.body.pagination),
        JSON.stringify({ count: 3, previous: null, next: `${base}?limit=1&offset=1` }),
      );
      const middle = await carol('GET', '/api/lambda_instances/?offset=1&limit=1');
      assert.deepEqual(
        middle.body.data.map((i: any) => i.uuid),
        [uuids[1]],
      );
      assert.deepEqual(middle.body.pagination, {
        count: 3,
        previous: `${base}?limit=1`,
        next: `${base}?limit=1&offset=2`,
      });
      const last = await carol('GET', '/api/lambda_instances?limit=2&offset=2');
      assert.deepEqual(last.body.pagination, {
        count: 3,
        previous: `${server.url}/api/lambda_instances?limit=2`,
        next: null,
      });
      assert.deepEqual((await carol('GET', '/api/lambda_instances/?limit=5&offset=-3')).body.data.length, 3);
      assert.equal((await carol('GET', '/api/lambda_instances/?limit=0')).body.data.length, 0);
      assert.equal((await carol('GET', '/api/lambda_instances/?offset=1')).body.data.length, 3);
      for (const limit of ['-1', 'ten', '', '1.5']) {
        const refused = await carol('GET', `/api/lambda_instances/?limit=${limit}`);
        assert.equal(refused.status, 400);
        assert.equal(
          refused.text,
          '{"errors":[{"status":400,"detail":"limit value should be an integer greater or equal to zero."}]}',
        );
      }
      assert.equal((await carol('GET', '/api/lambda_applications/?limit=x')).status, 400);
    });

    test('the counts are public and strings: owners of instances, running instances ("20" or "0"), applications at "0"', async () => {
      const count = async (path: string) => (await server.call('GET', path)).body.data.count;
      const before = {
        users: await count('/api/users/count'),
        up: await count('/api/lambda_instances/count'),
        uploaded: await count('/api/lambda_applications/count'),
      };
      const dave = withToken(server, (await nativeToken(server, 'dave')).token);
      await dave('POST', '/api/lambda_instances/', { body: instanceBody({ status: '20' }) });
      await dave('POST', '/api/lambda_instances/', { body: instanceBody({ status: '20' }) });
      await dave('POST', '/api/lambda_instances/', { body: instanceBody({ status: '0' }) });
      await dave('POST', '/api/lambda_instances/', { body: instanceBody({ status: '22' }) });
      await dave('POST', '/api/lambda_applications/', { body: applicationBody({ status: '0' }) });
      await dave('POST', '/api/lambda_applications/', { body: applicationBody({ status: '1' }) });
      const users = await server.call('GET', '/api/users/count');
      assert.equal(users.status, 202);
      assert.equal(
        users.text,
        JSON.stringify({
          status: { code: 202, short_description: 'Lambda Users count on ~okeanos infrastructure.' },
          data: { count: String(Number(before.users) + 1) },
        }),
      );
      const up = await server.call('GET', '/api/lambda_instances/count/');
      assert.equal(up.status, 200);
      assert.equal(
        up.text,
        JSON.stringify({
          status: { code: 200, short_description: 'Lambda instances count.' },
          data: { count: String(Number(before.up) + 3) },
        }),
      );
      const uploaded = await server.call('GET', '/api/lambda_applications/count');
      assert.equal(
        uploaded.text,
        JSON.stringify({
          status: { code: 200, short_description: 'Lambda applications count.' },
          data: { count: String(Number(before.uploaded) + 1) },
        }),
      );
      assert.equal(await count('/api/users/count/'), String(Number(before.users) + 1));
      assert.equal(await count('/api/lambda_applications/count/'), String(Number(before.uploaded) + 1));
    });

    test('/openapi.json lists every okeanos route under its own tag, each spelling once', async () => {
      const spec = (await server.call('GET', '/openapi.json')).body;
      const tagged = Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
        Object.entries(methods)
          .filter(([, operation]) => operation.tags?.includes('okeanos'))
          .map(([method]) => `${method.toUpperCase()} ${path}`),
      );
      assert.deepEqual(tagged.sort(), [
        'DELETE /api/lambda_applications/{uuid}/',
        'DELETE /api/lambda_instances/{uuid}/',
        'GET /api/authenticate/',
        'GET /api/lambda_applications/',
        'GET /api/lambda_applications/count',
        'GET /api/lambda_instances/',
        'GET /api/lambda_instances/count',
        'GET /api/users/count',
        'POST /api/lambda_applications/',
        'POST /api/lambda_applications/{uuid}/decrement_started/',
        'POST /api/lambda_applications/{uuid}/increment_started/',
        'POST /api/lambda_applications/{uuid}/status',
        'POST /api/lambda_instances/',
        'POST /api/lambda_instances/{uuid}/status',
      ]);
    });
  });
}
