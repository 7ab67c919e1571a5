// The user-certificate routes over real TLS: available_services, start, stop, rename, list, and what a certificate must be.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { makeCsr } from '../../pki/support.ts';
import { findProgram } from '../../../src/drivers/local/processes/find-program.ts';
import { eventually } from '../../support/eventually.ts';
import {
  conpaasCall,
  conpaasUser,
  forEachConpaasBackend,
  nativeToken,
  startConpaas,
  type Credentials,
} from './support.ts';

/** The default catalogue's types whose programs this host has (CI installs them all). */
const installedHere = [
  'http-static',
  'tcp-echo',
  ...(findProgram('php') ? ['php'] : []),
  ...(findProgram('mariadbd') ? ['mysql'] : []),
];

const noUid = 'cert_required: client certificate does NOT provide UID';

forEachConpaasBackend('ConPaaS services', (server) => {
  let ada: Awaited<ReturnType<typeof conpaasUser>>;
  let bob: Awaited<ReturnType<typeof conpaasUser>>;
  before(async () => {
    ada = await conpaasUser(server());
    bob = await conpaasUser(server());
  });

  const list = async (who: { credentials: Credentials }) =>
    (await conpaasCall(server(), '/list', { method: 'GET', credentials: who.credentials })).body;

  test('available_services lists the local catalogue types to anyone, by GET and POST, on either listener', async () => {
    for (const options of [
      { method: 'GET' },
      { method: 'POST' },
      { method: 'GET', https: true },
      { method: 'POST', https: true },
      { method: 'GET', credentials: ada.credentials },
    ]) {
      const response = await conpaasCall(server(), '/available_services', options);
      assert.equal(response.status, 200, JSON.stringify(options));
      assert.deepEqual(response.body, installedHere);
    }
  });

  test('without a client certificate the certificate routes answer the 401 text, on either listener', async () => {
    for (const [path, method] of [
      ['/list', 'GET'],
      ['/user_config', 'GET'],
      ['/user_credit', 'GET'],
      ['/start/http-static', 'POST'],
      ['/stop/1', 'POST'],
      ['/rename/1', 'POST'],
    ]) {
      for (const https of [false, true]) {
        const response = await conpaasCall(server(), path, { method, https });
        assert.equal(response.status, 401, `${method} ${path}`);
        assert.equal(response.body, noUid);
      }
    }
  });

  test('start of an unknown type names it', async () => {
    const response = await conpaasCall(server(), '/start/java', { credentials: ada.credentials });
    assert.deepEqual(response.body, { error: true, msg: 'Unknown service type: java' });
  });

  test('start answers the service dict once it answers at its manager address, and keeps no certificate in it; list shows it RUNNING', async () => {
    const response = await conpaasCall(server(), '/start/http-static', { credentials: ada.credentials });
    assert.equal(response.status, 200);
    const { sid, created, vmid, manager, state, ...rest } = response.body;
    assert.ok(Number.isInteger(sid) && sid > 0);
    assert.ok(!Number.isNaN(Date.parse(created)));
    assert.match(vmid, /^[0-9a-f-]{36}$/);
    assert.match(manager, /^127\.0\.0\.1:\d+$/);
    assert.equal(state, 'RUNNING');
    assert.deepEqual(rest, {
      name: 'New http-static service',
      type: 'http-static',
      cloud: 'default',
      user_id: ada.uid,
    });
    const running = await eventually(
      () => list(ada),
      (services) => services[0]?.state === 'RUNNING',
      'the service runs',
    );
    assert.equal(running.length, 1);
    assert.equal(running[0].sid, sid);
    assert.equal(running[0].manager, manager);
    // RUNNING means it answers at the manager address.
    assert.equal((await fetch(`http://${running[0].manager}/`)).status, 200);
  });

  test('start with a cloud name: default is the only cloud; another keeps nothing', async () => {
    const named = await conpaasCall(server(), '/start/tcp-echo/default', { credentials: bob.credentials });
    assert.equal(named.body.cloud, 'default');
    assert.equal(named.body.type, 'tcp-echo');
    const other = await conpaasCall(server(), '/start/tcp-echo/ec2', { credentials: bob.credentials });
    assert.deepEqual(other.body, {
      error: true,
      msg: 'Error upon service creation: unknown cloud "ec2" (this director has only "default")',
    });
    assert.deepEqual(
      (await list(bob)).map((s: { sid: number }) => s.sid),
      [named.body.sid],
    );
  });

  test("list shows only the caller's services, by GET and by POST", async () => {
    const byGet = await list(ada);
    const byPost = (await conpaasCall(server(), '/list', { credentials: ada.credentials })).body;
    assert.deepEqual(
      byPost.map((s: { sid: number }) => s.sid),
      byGet.map((s: { sid: number }) => s.sid),
    );
    assert.ok(byGet.every((s: { user_id: number }) => s.user_id === ada.uid));
    assert.ok((await list(bob)).every((s: { user_id: number }) => s.user_id === bob.uid));
  });

  test("rename needs a name and the caller's own service", async () => {
    const [service] = await list(ada);
    assert.equal((await conpaasCall(server(), `/rename/${service.sid}`, { credentials: ada.credentials })).body, false);
    assert.equal(
      (
        await conpaasCall(server(), `/rename/${service.sid}`, {
          credentials: bob.credentials,
          form: { name: 'hijacked' },
        })
      ).body,
      false,
    );
    assert.equal(
      (await conpaasCall(server(), '/rename/999999', { credentials: ada.credentials, form: { name: 'x' } })).body,
      false,
    );
    assert.equal(
      (
        await conpaasCall(server(), `/rename/${service.sid}`, {
          credentials: ada.credentials,
          form: { name: 'My web site' },
        })
      ).body,
      true,
    );
    assert.equal((await list(ada))[0].name, 'My web site');
  });

  test("stop deletes the caller's own service: true once, false after, and false for anyone else's", async () => {
    const started = (await conpaasCall(server(), '/start/tcp-echo', { credentials: ada.credentials })).body;
    assert.equal((await conpaasCall(server(), `/stop/${started.sid}`, { credentials: bob.credentials })).body, false);
    assert.equal((await conpaasCall(server(), '/stop/999999', { credentials: ada.credentials })).body, false);
    assert.equal((await conpaasCall(server(), `/stop/${started.sid}`, { credentials: ada.credentials })).body, true);
    assert.ok(!(await list(ada)).some((s: { sid: number }) => s.sid === started.sid));
    assert.equal((await conpaasCall(server(), `/stop/${started.sid}`, { credentials: ada.credentials })).body, false);
  });

  test('a sid beyond any sid there can be (a 32-bit serial) is an unknown sid: false, not an error', async () => {
    for (const sid of ['2147483648', '99999999999999999999', '0']) {
      const stopped = await conpaasCall(server(), `/stop/${sid}`, { credentials: ada.credentials });
      assert.deepEqual([stopped.status, stopped.body], [200, false], `stop ${sid}`);
      const renamed = await conpaasCall(server(), `/rename/${sid}`, {
        credentials: ada.credentials,
        form: { name: 'x' },
      });
      assert.deepEqual([renamed.status, renamed.body], [200, false], `rename ${sid}`);
    }
  });

  test('a service id that is not an integer is no route (404), as with Flask <int:sid>', async () => {
    assert.equal((await conpaasCall(server(), '/stop/abc', { credentials: ada.credentials })).status, 404);
    assert.equal(
      (await conpaasCall(server(), '/rename/1x', { credentials: ada.credentials, form: { name: 'y' } })).status,
      404,
    );
  });

  test('a manager certificate is not a user certificate: false', async () => {
    const [service] = await list(ada);
    const token = await nativeToken(server(), ada.username, ada.password);
    const csr = await makeCsr();
    const signed = await server().call('POST', '/api/v1/pki/csr', {
      token,
      body: { csr: csr.pem, role: 'manager', service: service.vmid },
    });
    assert.equal(signed.status, 201, signed.text);
    const response = await conpaasCall(server(), '/list', {
      method: 'GET',
      credentials: { key: csr.key, cert: signed.text },
    });
    assert.equal(response.status, 200);
    assert.equal(response.body, false);
  });

  test('a revoked user certificate is refused with a 401 that says so', async () => {
    const token = await nativeToken(server(), bob.username, bob.password);
    const serial = new X509Certificate(bob.credentials.cert).serialNumber.toLowerCase();
    assert.equal((await server().call('POST', `/api/v1/pki/certificates/${serial}/revoke`, { token })).status, 200);
    const response = await conpaasCall(server(), '/list', { method: 'GET', credentials: bob.credentials });
    assert.equal(response.status, 401);
    assert.match(response.body, /^cert_required: certificate [0-9a-f]+ was revoked at /);
  });

  test('a disabled user certificate holder is false, as an unknown UID was', async () => {
    const carol = await conpaasUser(server());
    const login = await conpaasCall(server(), '/login', {
      form: { username: carol.username, password: carol.password },
    });
    assert.equal(login.body.username, carol.username);
    const users = await server().call('GET', '/api/v1/users?limit=500', { token: server().adminToken });
    const id = users.body.items.find((u: { username: string }) => u.username === carol.username).id;
    assert.equal(
      (await server().call('PATCH', `/api/v1/users/${id}`, { token: server().adminToken, body: { disabled: true } }))
        .status,
      200,
    );
    const response = await conpaasCall(server(), '/list', { method: 'GET', credentials: carol.credentials });
    assert.equal(response.status, 200);
    assert.equal(response.body, false);
  });
});

forEachConpaasBackend('ConPaaS first starts', (server) => {
  test("concurrent first starts of a user share one team, made on the user's first start", async () => {
    const dan = await conpaasUser(server());
    const started = await Promise.all(
      [1, 2, 3].map(() => conpaasCall(server(), '/start/tcp-echo', { credentials: dan.credentials })),
    );
    const sids = started.map((s) => s.body.sid);
    assert.ok(sids.every(Number.isInteger), JSON.stringify(started.map((s) => s.body)));
    assert.equal(new Set(sids).size, 3);
    const listed = (await conpaasCall(server(), '/list', { method: 'GET', credentials: dan.credentials })).body;
    assert.deepEqual(listed.map((s: { sid: number }) => s.sid).sort(), [...sids].sort());
    const token = await nativeToken(server(), dan.username, dan.password);
    const teams = (await server().call('GET', '/api/v1/teams', { token })).body.items.map(
      (t: { name: string }) => t.name,
    );
    assert.deepEqual(teams, [`conpaas-${dan.username}`]);
  });
});

test('dialects.conpaas.availableServices replaces the catalogue types on /available_services and /start', async () => {
  const server = await startConpaas('sqlite', { availableServices: ['tcp-echo'] });
  try {
    const eve = await conpaasUser(server);
    assert.deepEqual((await conpaasCall(server, '/available_services', { method: 'GET' })).body, ['tcp-echo']);
    assert.deepEqual((await conpaasCall(server, '/start/http-static', { credentials: eve.credentials })).body, {
      error: true,
      msg: 'Unknown service type: http-static',
    });
  } finally {
    await server.close();
  }
});

test('a service that fails before its manager has an address is a creation error, and nothing is kept', async () => {
  // java is offered but the local catalogue cannot run it: the service ends in ERROR without an address.
  const server = await startConpaas('sqlite', { availableServices: ['java'] });
  try {
    const eve = await conpaasUser(server);
    const answer = await conpaasCall(server, '/start/java', { credentials: eve.credentials });
    assert.equal(answer.body.error, true);
    assert.match(answer.body.msg, /^Error upon service creation: .*unknown service type "java"/);
    assert.deepEqual((await conpaasCall(server, '/list', { credentials: eve.credentials })).body, []);
  } finally {
    await server.close();
  }
});
