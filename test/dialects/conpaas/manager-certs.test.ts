// A service's manager finds its certificate in its own files, as the director put one in each manager's context, and calls back with it.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import { makeCsr } from '../../pki/support.ts';
import { eventually } from '../../support/eventually.ts';
import {
  conpaasCall,
  conpaasUser,
  forEachConpaasBackend,
  managerCertificateDir,
  managerCredentials,
  nativeToken,
} from './support.ts';

/** Node prints a subject one attribute a line. */
const subjectOf = (pem: string) =>
  Object.fromEntries(
    new X509Certificate(pem).subject.split('\n').map((line) => line.split('=', 2) as [string, string]),
  );

forEachConpaasBackend('ConPaaS manager certificates', (server) => {
  let ada: Awaited<ReturnType<typeof conpaasUser>>;
  before(async () => {
    ada = await conpaasUser(server(), 10, 'mgr');
  });

  const credit = async () =>
    (await conpaasCall(server(), '/login', { form: { username: ada.username, password: ada.password } })).body.credit;

  test("start gives the service its manager's key, certificate and CA, readable by no one else, and never answers them", async () => {
    const response = await conpaasCall(server(), '/start/tcp-echo', { credentials: ada.credentials });
    const started = response.body;
    assert.ok(!response.raw.toString().includes('BEGIN'), 'no certificate or key in the answer to /start');
    const dir = managerCertificateDir(server(), started.vmid);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    const [cert, key, ca_cert] = await Promise.all(
      ['cert', 'key', 'ca_cert'].map((name) => readFile(path.join(dir, `${name}.pem`), 'utf8')),
    );
    for (const name of ['cert', 'key', 'ca_cert'])
      assert.equal((await stat(path.join(dir, `${name}.pem`))).mode & 0o777, 0o600, name);
    assert.equal(ca_cert, server().caPem);
    assert.ok(new X509Certificate(cert).verify(new X509Certificate(ca_cert).publicKey), 'signed by this CA');
    assert.equal(
      createPublicKey(createPrivateKey(key)).export({ format: 'pem', type: 'spki' }),
      new X509Certificate(cert).publicKey.export({ format: 'pem', type: 'spki' }),
      'the key is the key of the certificate',
    );
    const subject = subjectOf(cert);
    assert.equal(subject.UID, String(ada.uid));
    assert.equal(subject.role, 'manager');
    assert.equal(subject.serviceLocator, String(started.sid));
    assert.equal(subject.O, 'Contrail');
  });

  test("the manager's certificate is not among the files the service serves, and goes with the service", async () => {
    const started = (await conpaasCall(server(), '/start/http-static', { credentials: ada.credentials })).body;
    // The address is known before the process has bound its port.
    const listing = () =>
      fetch(`http://${started.manager}/`).then(
        (r) => r.text(),
        () => '',
      );
    const served = await eventually(listing, (text) => text !== '', 'the service answers');
    assert.ok(!served.includes('conpaas') && !served.includes('.pem'), served);
    assert.equal((await fetch(`http://${started.manager}/../conpaas/key.pem`)).status, 404);
    assert.equal((await conpaasCall(server(), `/stop/${started.sid}`, { credentials: ada.credentials })).body, true);
    const gone = () =>
      stat(managerCertificateDir(server(), started.vmid)).then(
        () => false,
        () => true,
      );
    assert.equal(
      await eventually(gone, (isGone) => isGone, 'the certificate folder is removed with the service'),
      true,
    );
  });

  test('the whole flow: start, the manager takes its certificate, decrements its user credit, has an agent certificate signed', async () => {
    const before = await credit();
    const started = (await conpaasCall(server(), '/start/tcp-echo', { credentials: ada.credentials })).body;
    const manager = await managerCredentials(server(), started);
    // At once, while the service is still starting (INIT).
    const decremented = await conpaasCall(server(), '/callback/decrementUserCredit.php', {
      form: { sid: String(started.sid), decrement: '4' },
      credentials: manager,
    });
    assert.deepEqual(decremented.body, { error: false });
    assert.equal(await credit(), before - 4);
    const overdraw = await conpaasCall(server(), '/callback/decrementUserCredit.php', {
      form: { sid: String(started.sid), decrement: String(before) },
      credentials: manager,
    });
    assert.deepEqual(overdraw.body, { error: true });
    assert.equal(await credit(), before - 4);

    const csr = await makeCsr([['CN', 'agent-host']]);
    const agent = await conpaasCall(server(), '/ca/get_cert.php', { files: { csr: csr.pem }, credentials: manager });
    assert.match(agent.body, /^-----BEGIN CERTIFICATE-----/);
    assert.deepEqual(
      [subjectOf(agent.body).UID, subjectOf(agent.body).role, subjectOf(agent.body).serviceLocator],
      [String(ada.uid), 'agent', String(started.sid)],
    );
  });

  test("the manager's certificate names the service by its sid, and maps back to the user and the service resource", async () => {
    const started = (await conpaasCall(server(), '/start/tcp-echo', { credentials: ada.credentials })).body;
    const manager = await managerCredentials(server(), started);
    const identity = await conpaasCall(server(), '/api/v1/pki/identity', { method: 'GET', credentials: manager });
    const token = await nativeToken(server(), ada.username, ada.password);
    const me = await server().call('GET', '/api/v1/me', { token });
    assert.deepEqual(
      [identity.body.kind, identity.body.role, identity.body.serviceId, identity.body.userId],
      ['service', 'manager', started.vmid, me.body.user.id],
    );
    // Another service's sid is refused: the certificate is for its own service only.
    const other = (await conpaasCall(server(), '/start/tcp-echo', { credentials: ada.credentials })).body;
    assert.equal(
      (
        await conpaasCall(server(), '/callback/decrementUserCredit.php', {
          form: { sid: String(other.sid), decrement: '0' },
          credentials: manager,
        })
      ).body,
      false,
    );
  });

  test('once its service is stopped, the manager certificate calls back no more', async () => {
    const started = (await conpaasCall(server(), '/start/tcp-echo', { credentials: ada.credentials })).body;
    const manager = await managerCredentials(server(), started);
    assert.equal((await conpaasCall(server(), `/stop/${started.sid}`, { credentials: ada.credentials })).body, true);
    assert.equal(
      (
        await conpaasCall(server(), '/callback/decrementUserCredit.php', {
          form: { sid: String(started.sid), decrement: '0' },
          credentials: manager,
        })
      ).body,
      false,
    );
  });
});
