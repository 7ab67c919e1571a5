// Master's applications, replayed as master's `cps` client (conpaas-client/cps/base.py) calls them: every call over
// HTTPS with the user certificate, the saved username and password added to the form (POST) or the query (GET).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { backends } from '../../support/backends.ts';
import { eventually } from '../../support/eventually.ts';
import {
  conpaasCall,
  conpaasUser,
  forEachConpaasBackend,
  nativeToken,
  startConpaas,
  type ConpaasServer,
} from './support.ts';

type User = Awaited<ReturnType<typeof conpaasUser>>;

/** BaseClient.callapi(method, post, data): what it sends, and the JSON it reads back. */
function cpsOf(server: () => ConpaasServer, user: User) {
  return async (method: string, post: boolean, data: Record<string, string> = {}) => {
    const values = { ...data, username: user.username, password: user.password };
    const answer = post
      ? await conpaasCall(server(), `/${method}`, { form: values, credentials: user.credentials })
      : await conpaasCall(server(), `/${method}?${new URLSearchParams(values)}`, {
          method: 'GET',
          credentials: user.credentials,
        });
    assert.equal(answer.status, 200, `${method}: ${answer.raw}`);
    return answer.body;
  };
}

forEachConpaasBackend('ConPaaS applications: master cps client', (server) => {
  let ada: User;
  let bob: User;
  let cps: ReturnType<typeof cpsOf>;
  let token: string;
  before(async () => {
    ada = await conpaasUser(server());
    bob = await conpaasUser(server());
    cps = cpsOf(server, ada);
    token = await nativeToken(server(), ada.username, ada.password);
  });

  const namespaces = async () =>
    (await server().call('GET', `/api/v1/teams/conpaas-${ada.username}/namespaces`, { token })).body.items as {
      id: string;
      name: string;
      deletionRequestedAt: string | null;
    }[];

  test('listapp shows the default application the director made with each user, as the client prints it', async () => {
    const apps = await cps('listapp', true);
    assert.equal(apps.length, 1);
    const [app] = apps;
    assert.deepEqual(Object.keys(app).sort(), ['aid', 'cloud', 'manager', 'name', 'status', 'uid', 'vmid']);
    assert.equal(app.name, 'New Application');
    assert.equal(app.status, 'INIT');
    assert.equal(app.uid, ada.uid);
    assert.equal(app.manager, null);
    assert.deepEqual(await cps('listapp', true), apps, 'made once');
    const namespace = (await namespaces()).find((n) => n.name === `conpaas-app-${app.aid}`);
    assert.ok(namespace, 'a namespace of her team, named by the aid');
  });

  test('createapp answers the new application; a name taken or missing is master\'s {"error": "..."}', async () => {
    const created = await cps('createapp', true, { name: 'shop' });
    assert.equal(created.name, 'shop');
    assert.equal(created.status, 'INIT');
    assert.equal(typeof created.aid, 'number');
    assert.deepEqual(await cps('createapp', true, { name: 'shop' }), {
      error: 'Application name "shop" is already taken',
    });
    assert.deepEqual(await cps('createapp', true, { name: '' }), { error: '"name" is a required argument' });
    const listed = await cps('listapp', true);
    assert.deepEqual(
      listed.map((a: { name: string }) => a.name),
      ['New Application', 'shop'],
    );
    assert.ok((await namespaces()).some((n) => n.name === `conpaas-app-${created.aid}`));
  });

  test('add refuses an application not started; startapp starts it once; add then starts a service in it', async () => {
    const shop = (await cps('listapp', true)).find((a: { name: string }) => a.name === 'shop');
    assert.deepEqual(await cps('add/http-static', true, { appid: String(shop.aid) }), {
      error: `Application ${shop.aid} has not started. Try to start it first.`,
    });
    assert.deepEqual(await cps(`startapp/${shop.aid}`, true), {});
    assert.deepEqual(await cps(`startapp/${shop.aid}`, true), { error: 'Application already started' });
    assert.equal((await cps('listapp', true)).find((a: { aid: number }) => a.aid === shop.aid).status, 'RUNNING');

    const added = await cps('add/http-static', true, { appid: String(shop.aid) });
    assert.ok(!('error' in added), JSON.stringify(added));
    assert.equal(added.service.type, 'http-static');
    assert.equal(added.service.name, 'New http-static service');
    assert.equal(added.service.application_id, shop.aid);
    assert.equal(added.application.aid, shop.aid);
    assert.deepEqual(await cps('add/java', true, { appid: String(shop.aid) }), {
      error: "Unknown service type 'java'",
    });

    const listed = await cps(`list/${shop.aid}`, true);
    assert.deepEqual(
      listed.map((s: { sid: number }) => s.sid),
      [added.service.sid],
    );
    assert.equal(listed[0].state, 'RUNNING');
    const namespace = (await namespaces()).find((n) => n.name === `conpaas-app-${shop.aid}`)!;
    const resources = await server().call(
      'GET',
      `/api/v1/teams/conpaas-${ada.username}/resources?namespace=${namespace.id}`,
      { token },
    );
    assert.deepEqual(
      resources.body.items.map((r: { metadata: { id: string } }) => r.metadata.id),
      [listed[0].vmid],
      'a service resource in the application namespace',
    );
  });

  test('add without appid starts the service in the default application', async () => {
    const [first] = await cps('listapp', true);
    assert.deepEqual(await cps('add/tcp-echo', true), {
      error: `Application ${first.aid} has not started. Try to start it first.`,
    });
    assert.deepEqual(await cps(`startapp/${first.aid}/default`, true), {});
    const added = await cps('add/tcp-echo', true);
    assert.equal(added.service.application_id, first.aid);
    assert.equal((await cps(`list/${first.aid}`, false)).length, 1);
  });

  test('rename (app_id, service_id, name) renames a service of the application; renameapp renames the application', async () => {
    const shop = (await cps('listapp', true)).find((a: { name: string }) => a.name === 'shop');
    const [service] = await cps(`list/${shop.aid}`, true);
    const ids = { app_id: String(shop.aid), service_id: String(service.sid) };
    assert.deepEqual(await cps('rename', true, { ...ids, name: 'storefront' }), {});
    assert.equal((await cps(`list/${shop.aid}`, true))[0].name, 'storefront');
    assert.deepEqual(await cps('rename', true, { ...ids, name: '' }), { error: '"name" is a required argument' });
    assert.deepEqual(await cps('rename', true, { app_id: 'x', service_id: '1', name: 'y' }), {
      error: 'Bad specification of application or service IDs',
    });
    const [first] = await cps('listapp', true);
    assert.deepEqual(await cps('rename', true, { app_id: String(first.aid), service_id: ids.service_id, name: 'y' }), {
      error: 'Invalid service_id',
    });

    assert.deepEqual(await cps(`renameapp/${shop.aid}`, true, { name: 'New Application' }), {
      error: 'Application name "New Application" is already taken',
    });
    assert.deepEqual(await cps(`renameapp/${shop.aid}`, true, {}), { error: '"name" is a required argument' });
    assert.deepEqual(await cps(`renameapp/${shop.aid}`, true, { name: 'shop 2' }), {});
    assert.ok((await cps('listapp', true)).some((a: { name: string }) => a.name === 'shop 2'));
  });

  test("another user's application is unknown to every route", async () => {
    const shop = (await cps('listapp', true)).find((a: { name: string }) => a.name === 'shop 2');
    const [service] = await cps(`list/${shop.aid}`, true);
    const bobs = cpsOf(server, bob);
    const aid = String(shop.aid);
    assert.deepEqual(await bobs(`list/${aid}`, true), []);
    for (const route of ['startapp', 'stopapp', 'deleteapp'])
      assert.deepEqual(await bobs(`${route}/${aid}`, true), { error: 'Application not found' }, route);
    assert.deepEqual(await bobs(`renameapp/${aid}`, true, { name: 'mine' }), { error: 'Application not found' });
    assert.deepEqual(await bobs('add/http-static', true, { appid: aid }), { error: `Application ${aid} not found.` });
    const ids = { app_id: aid, service_id: String(service.sid) };
    assert.deepEqual(await bobs('remove', true, ids), { error: `Application ${aid} not found.` });
    assert.deepEqual(await bobs('rename', true, { ...ids, name: 'mine' }), { error: 'Invalid service_id' });
    assert.ok(!(await bobs('listapp', true)).some((a: { aid: number }) => a.aid === shop.aid));
    assert.equal((await cps(`list/${aid}`, true)).length, 1, 'untouched');
    assert.deepEqual(await cps('startapp/2147483648', true), { error: 'Application not found' });
    const notRoute = await conpaasCall(server(), '/startapp/abc', { credentials: ada.credentials });
    assert.equal(notRoute.status, 404);
  });

  test('the 2013 client: /start/<type> with appid starts the service in that application', async () => {
    const [first] = await cps('listapp', true);
    const started = await conpaasCall(server(), '/start/http-static', {
      form: { appid: String(first.aid) },
      credentials: ada.credentials,
    });
    assert.equal(typeof started.body.manager, 'string', JSON.stringify(started.body));
    assert.ok((await cps(`list/${first.aid}`, true)).some((s: { sid: number }) => s.sid === started.body.sid));
    const unknown = await conpaasCall(server(), '/start/http-static', {
      form: { appid: '2147483647' },
      credentials: ada.credentials,
    });
    assert.deepEqual(unknown.body, { error: true, msg: 'Application not found' });
  });

  test('remove deletes one service; stopapp deletes them all and keeps the application, which add then refuses', async () => {
    const [first] = await cps('listapp', true);
    const services = await cps(`list/${first.aid}`, true);
    assert.equal(services.length, 2);
    assert.deepEqual(await cps('remove', true, { app_id: String(first.aid), service_id: String(services[0].sid) }), {});
    assert.equal((await cps(`list/${first.aid}`, true)).length, 1);
    assert.deepEqual(await cps('remove', true, { app_id: String(first.aid), service_id: String(services[0].sid) }), {
      error: 'Invalid service_id',
    });

    assert.deepEqual(await cps(`stopapp/${first.aid}`, true), {});
    assert.deepEqual(await cps(`list/${first.aid}`, true), []);
    const app = (await cps('listapp', true)).find((a: { aid: number }) => a.aid === first.aid);
    assert.equal(app.status, 'STOPPED');
    assert.match((await cps('add/http-static', true)).error, /has not started/);
  });

  test('deleteapp deletes the application with its services, through the engine, and its namespace', async () => {
    const shop = (await cps('listapp', true)).find((a: { name: string }) => a.name === 'shop 2');
    const [service] = await cps(`list/${shop.aid}`, true);
    assert.deepEqual(await cps(`deleteapp/${shop.aid}`, true), {});
    assert.ok(!(await cps('listapp', true)).some((a: { aid: number }) => a.aid === shop.aid));
    assert.deepEqual(await cps(`list/${shop.aid}`, true), []);
    assert.ok(!(await cps('list', true)).some((s: { sid: number }) => s.sid === service.sid));
    assert.deepEqual(await cps(`deleteapp/${shop.aid}`, true), { error: 'Application not found' });
    await eventually(
      namespaces,
      (list) => !list.some((n) => n.name === `conpaas-app-${shop.aid}`),
      'the namespace gone once its service is',
      60,
    );
    const gone = await server().call('GET', `/api/v1/teams/conpaas-${ada.username}/resources/${service.vmid}`, {
      token,
    });
    assert.ok(gone.status === 404 || gone.body.status.state === 'deleted', gone.text);
    assert.deepEqual((await cps('createapp', true, { name: 'shop 2' })).name, 'shop 2', 'its name is free again');
  });
});

for (const backend of backends()) {
  describe(`ConPaaS applications: listForm application, as master's /list [${backend}]`, () => {
    let server: ConpaasServer;
    let ada: User;
    before(async () => {
      server = await startConpaas(backend, { listForm: 'application' });
      ada = await conpaasUser(server);
    });
    after(async () => {
      await server?.close();
    });

    test('/list and /list/<aid> answer [{"service": {...}, "application": {...}}], as master client reads them', async () => {
      const cps = cpsOf(() => server, ada);
      const [app] = await cps('listapp', true);
      await cps(`startapp/${app.aid}`, true);
      const added = await cps('add/http-static', true, { appid: String(app.aid) });
      const outside = await conpaasCall(server, '/start/tcp-echo', { credentials: ada.credentials });

      const listed = await cps('list', true);
      // cps list: prettytable of row['service'] by sid, type, application_id, name; check_service_id reads the same.
      const rows = listed.map((row: { service: Record<string, unknown> }) => row.service);
      assert.deepEqual(
        rows
          .map((s: Record<string, unknown>) => [s.sid, s.type, s.application_id, s.name])
          .sort((a: number[], b: number[]) => a[0] - b[0]),
        [
          [added.service.sid, 'http-static', app.aid, 'New http-static service'],
          [outside.body.sid, 'tcp-echo', null, 'New tcp-echo service'],
        ],
      );
      const inApp = listed.find((row: { service: { sid: number } }) => row.service.sid === added.service.sid);
      assert.equal(inApp.application.aid, app.aid);
      assert.equal(inApp.application.status, 'RUNNING');
      assert.deepEqual(await cps(`list/${app.aid}`, true), [inApp]);
    });
  });
}
