// End to end: ConPaaS services are resources on the native API, and native changes show on the ConPaaS wire.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { eventually } from '../../support/eventually.ts';
import { conpaasCall, conpaasUser, forEachConpaasBackend, nativeToken } from './support.ts';

forEachConpaasBackend('ConPaaS through the native API', (server) => {
  let ada: Awaited<ReturnType<typeof conpaasUser>>;
  let token: string;
  before(async () => {
    ada = await conpaasUser(server());
    token = await nativeToken(server(), ada.username, ada.password);
  });

  const list = async () =>
    (await conpaasCall(server(), '/list', { method: 'GET', credentials: ada.credentials })).body as {
      sid: number;
      name: string;
      state: string;
      vmid: string;
    }[];

  test('a service started through ConPaaS is a service resource of the user ConPaaS team', async () => {
    const started = (await conpaasCall(server(), '/start/http-static', { credentials: ada.credentials })).body;
    const team = `conpaas-${ada.username}`;
    const resource = await server().call('GET', `/api/v1/teams/${team}/resources/${started.vmid}`, { token });
    assert.equal(resource.status, 200, resource.text);
    assert.equal(resource.body.metadata.kind, 'service');
    assert.equal(resource.body.metadata.name, `service-${started.sid}`);
    assert.deepEqual(resource.body.spec, {
      type: 'http-static',
      displayName: 'New http-static service',
      cloud: 'default',
      info: {},
    });
    const active = await eventually(
      () => server().call('GET', `/api/v1/teams/${team}/resources/${started.vmid}`, { token }),
      (r) => r.body.status.state === 'active',
      'active',
    );
    const [shown] = await list();
    assert.equal(shown.state, 'RUNNING');
    assert.equal((shown as unknown as { manager: string }).manager, active.body.status.details.address);
  });

  test('renaming on the native API shows in /list', async () => {
    const [service] = await list();
    const team = `conpaas-${ada.username}`;
    const current = await server().call('GET', `/api/v1/teams/${team}/resources/${service.vmid}`, { token });
    const patched = await server().call('PATCH', `/api/v1/teams/${team}/resources/${service.vmid}`, {
      token,
      body: { spec: { ...current.body.spec, displayName: 'renamed natively' } },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((await list())[0].name, 'renamed natively');
  });

  test('renaming through ConPaaS shows on the native API, without a restart', async () => {
    const [service] = await list();
    assert.equal(
      (
        await conpaasCall(server(), `/rename/${service.sid}`, {
          credentials: ada.credentials,
          form: { name: 'renamed by ConPaaS' },
        })
      ).body,
      true,
    );
    const resource = await server().call('GET', `/api/v1/teams/conpaas-${ada.username}/resources/${service.vmid}`, {
      token,
    });
    assert.equal(resource.body.spec.displayName, 'renamed by ConPaaS');
    assert.equal(resource.body.status.state, 'active');
  });

  test('a service made on the native API in that team gets a sid and shows in /list', async () => {
    const made = await server().call('POST', `/api/v1/teams/conpaas-${ada.username}/resources`, {
      token,
      body: { kind: 'service', name: 'native-one', spec: { type: 'tcp-echo' } },
    });
    assert.equal(made.status, 201, made.text);
    const shown = (await list()).find((s) => s.vmid === made.body.metadata.id);
    assert.ok(shown && Number.isInteger(shown.sid));
    assert.equal(shown.name, 'native-one');
    const again = (await list()).find((s) => s.vmid === made.body.metadata.id);
    assert.equal(again?.sid, shown.sid);
  });

  test('deleting on the native API removes the service from /list, and stop then answers false', async () => {
    const [service] = await list();
    const deleted = await server().call('DELETE', `/api/v1/teams/conpaas-${ada.username}/resources/${service.vmid}`, {
      token,
    });
    assert.ok([200, 202].includes(deleted.status), deleted.text);
    assert.ok(!(await list()).some((s) => s.sid === service.sid));
    assert.equal((await conpaasCall(server(), `/stop/${service.sid}`, { credentials: ada.credentials })).body, false);
  });

  test('stop through ConPaaS deletes the resource through the engine', async () => {
    const started = (await conpaasCall(server(), '/start/tcp-echo', { credentials: ada.credentials })).body;
    assert.equal((await conpaasCall(server(), `/stop/${started.sid}`, { credentials: ada.credentials })).body, true);
    const gone = await eventually(
      () => server().call('GET', `/api/v1/teams/conpaas-${ada.username}/resources/${started.vmid}`, { token }),
      (r) => r.body.status.state === 'deleted',
      'deleted',
    );
    assert.equal(gone.body.status.state, 'deleted');
  });

  test('every ConPaaS route is in /openapi.json under the conpaas tag', async () => {
    const document = (await server().call('GET', '/openapi.json')).body;
    const expected: [string, string][] = [
      ['/new_user', 'post'],
      ['/login', 'post'],
      ['/get_user_certs', 'post'],
      ['/getcerts', 'post'],
      ['/getcerts', 'get'],
      ['/available_services', 'get'],
      ['/start/{servicetype}', 'post'],
      ['/start/{servicetype}/{cloudname}', 'post'],
      ['/stop/{sid}', 'post'],
      ['/rename/{sid}', 'post'],
      ['/list', 'get'],
      ['/list', 'post'],
      ['/download/ConPaaS.tar.gz', 'get'],
      ['/callback/decrementUserCredit.php', 'post'],
      ['/ca/get_cert.php', 'post'],
    ];
    for (const [path, method] of expected) {
      assert.deepEqual(document.paths[path]?.[method]?.tags, ['conpaas'], `${method.toUpperCase()} ${path}`);
    }
  });
});
