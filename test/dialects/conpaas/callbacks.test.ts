// The manager-certificate callbacks over real TLS: credit decrements that never overdraw, agent certificates from CSRs, and the download.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { makeCsr } from '../../pki/support.ts';
import {
  conpaasCall,
  conpaasUser,
  forEachConpaasBackend,
  managerCredentials,
  nativeToken,
  type ConpaasServer,
  type Credentials,
} from './support.ts';

type User = Awaited<ReturnType<typeof conpaasUser>>;

/** A started service and its manager's certificate, read from the service's own files where /start put it. */
async function managerFor(
  server: ConpaasServer,
  user: User,
): Promise<{ sid: number; vmid: string; credentials: Credentials }> {
  const started = (await conpaasCall(server, '/start/tcp-echo', { credentials: user.credentials })).body;
  return { sid: started.sid, vmid: started.vmid, credentials: await managerCredentials(server, started) };
}

forEachConpaasBackend('ConPaaS callbacks', (server) => {
  let ada: User;
  let manager: Awaited<ReturnType<typeof managerFor>>;
  before(async () => {
    ada = await conpaasUser(server(), 20);
    manager = await managerFor(server(), ada);
  });

  const credit = async (user: User) =>
    (await conpaasCall(server(), '/login', { form: { username: user.username, password: user.password } })).body.credit;
  const decrement = (form: Record<string, string>, credentials = manager.credentials) =>
    conpaasCall(server(), '/callback/decrementUserCredit.php', { form, credentials });

  test('decrementUserCredit takes credit from the service owner and answers error false', async () => {
    const response = await decrement({ sid: String(manager.sid), decrement: '5' });
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { error: false });
    assert.equal(await credit(ada), 15);
  });

  test('a decrement beyond the credit answers error true and changes nothing', async () => {
    assert.deepEqual((await decrement({ sid: String(manager.sid), decrement: '16' })).body, { error: true });
    assert.equal(await credit(ada), 15);
  });

  test('negative or malformed decrements are refused; a missing one takes nothing', async () => {
    for (const value of ['-5', 'five', '2.5'])
      assert.deepEqual((await decrement({ sid: String(manager.sid), decrement: value })).body, { error: true }, value);
    assert.deepEqual((await decrement({ sid: String(manager.sid) })).body, { error: false });
    assert.equal(await credit(ada), 15);
  });

  test('concurrent decrements never overdraw: exactly as many succeed as the credit allows', async () => {
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => decrement({ sid: String(manager.sid), decrement: '1' })),
    );
    assert.equal(answers.filter((a) => a.body.error === false).length, 15);
    assert.equal(answers.filter((a) => a.body.error === true).length, 10);
    assert.equal(await credit(ada), 0);
    const token = await nativeToken(server(), ada.username, ada.password);
    const account = await server().call('GET', '/api/v1/billing/accounts/me', { token });
    assert.equal(account.body.balance, 0);
    const ledger = await server().call('GET', '/api/v1/billing/accounts/me/ledger?limit=100', { token });
    assert.equal(ledger.body.items.filter((e: { type: string }) => e.type === 'callback').length, 16);
  });

  test("the sid must be the certificate's own service: false otherwise", async () => {
    assert.equal((await decrement({ sid: String(manager.sid + 1000), decrement: '0' })).body, false);
    assert.equal((await decrement({ decrement: '0' })).body, false);
  });

  test('later directors name the service aid: accepted alone, and it must be the same service as any sid', async () => {
    const before = await credit(ada);
    assert.deepEqual((await decrement({ aid: String(manager.sid), decrement: '0' })).body, { error: false });
    assert.deepEqual((await decrement({ sid: String(manager.sid), aid: String(manager.sid), decrement: '0' })).body, {
      error: false,
    });
    assert.equal((await decrement({ aid: String(manager.sid + 1000), decrement: '0' })).body, false);
    assert.equal(
      (await decrement({ sid: String(manager.sid), aid: String(manager.sid + 1000), decrement: '0' })).body,
      false,
    );
    assert.equal(await credit(ada), before);
  });

  test('a user certificate, or none, cannot call back', async () => {
    assert.equal((await decrement({ sid: String(manager.sid), decrement: '1' }, ada.credentials)).body, false);
    const none = await conpaasCall(server(), '/callback/decrementUserCredit.php', {
      form: { sid: String(manager.sid), decrement: '1' },
      https: true,
    });
    assert.equal(none.status, 401);
    assert.equal(none.body, 'cert_required: client certificate does NOT provide UID');
  });

  test("get_cert.php signs an agent's CSR for the manager's service", async () => {
    const csr = await makeCsr([
      ['CN', 'agent-host'],
      ['role', 'manager'],
    ]);
    const response = await conpaasCall(server(), '/ca/get_cert.php', {
      files: { csr: csr.pem },
      credentials: manager.credentials,
    });
    assert.equal(response.status, 200);
    assert.match(response.body, /^-----BEGIN CERTIFICATE-----/);
    const certificate = new X509Certificate(response.body);
    assert.ok(certificate.verify(new X509Certificate(server().caPem).publicKey));
    assert.match(certificate.subject, /role=agent/);
    assert.match(certificate.subject, new RegExp(`^UID=${ada.uid}$`, 'm'), "ConPaaS's integer uid");
    assert.match(certificate.subject, new RegExp(`^serviceLocator=${manager.sid}$`, 'm'), 'the integer sid');
    // The agent certificate works on the listener, as an agent: not as a manager.
    const agent = { key: csr.key, cert: response.body };
    const identity = await conpaasCall(server(), '/api/v1/pki/identity', { method: 'GET', credentials: agent });
    assert.equal(identity.body.role, 'agent');
    assert.equal(
      (await conpaasCall(server(), '/ca/get_cert.php', { files: { csr: csr.pem }, credentials: agent })).body,
      false,
    );
  });

  test('get_cert.php without a csr file, with a bad one, or with a user certificate is false', async () => {
    assert.equal(
      (await conpaasCall(server(), '/ca/get_cert.php', { files: {}, credentials: manager.credentials })).body,
      false,
    );
    assert.equal(
      (
        await conpaasCall(server(), '/ca/get_cert.php', {
          form: { csr: (await makeCsr()).pem },
          credentials: manager.credentials,
        })
      ).body,
      false,
    );
    const tampered = await makeCsr(undefined, { tamper: true });
    assert.equal(
      (
        await conpaasCall(server(), '/ca/get_cert.php', {
          files: { csr: tampered.pem },
          credentials: manager.credentials,
        })
      ).body,
      false,
    );
    assert.equal(
      (
        await conpaasCall(server(), '/ca/get_cert.php', {
          files: { csr: (await makeCsr()).pem },
          credentials: ada.credentials,
        })
      ).body,
      false,
    );
  });

  test("a manager of a service outside the user's ConPaaS team, or of a stopped one, is false", async () => {
    const token = await nativeToken(server(), ada.username, ada.password);
    assert.equal(
      (await server().call('POST', '/api/v1/teams', { token, body: { name: 'ada-elsewhere' } })).status,
      201,
    );
    const elsewhere = await server().call('POST', '/api/v1/teams/ada-elsewhere/resources', {
      token,
      body: { kind: 'service', name: 'outside', spec: { type: 'tcp-echo' } },
    });
    const csr = await makeCsr();
    const signed = await server().call('POST', '/api/v1/pki/csr', {
      token,
      body: { csr: csr.pem, role: 'manager', service: elsewhere.body.metadata.id },
    });
    const outside = { key: csr.key, cert: signed.text };
    assert.equal(
      (
        await conpaasCall(server(), '/callback/decrementUserCredit.php', {
          form: { decrement: '0' },
          credentials: outside,
        })
      ).body,
      false,
    );

    const stopped = await managerFor(server(), ada);
    assert.equal((await conpaasCall(server(), `/stop/${stopped.sid}`, { credentials: ada.credentials })).body, true);
    assert.equal((await decrement({ sid: String(stopped.sid), decrement: '0' }, stopped.credentials)).body, false);
  });

  test('the download is a tar.gz with the CA certificate, the director URL and a README', async () => {
    const response = await conpaasCall(server(), '/download/ConPaaS.tar.gz', { method: 'GET', https: true });
    assert.equal(response.status, 200);
    assert.equal(response.contentType, 'application/x-gzip');
    const dir = mkdtempSync(join(tmpdir(), 'conpaas-download-'));
    try {
      writeFileSync(join(dir, 'ConPaaS.tar.gz'), response.raw);
      const names = execFileSync('tar', ['-tzf', 'ConPaaS.tar.gz'], { cwd: dir, encoding: 'utf8' })
        .trim()
        .split('\n')
        .sort();
      assert.deepEqual(names, ['ConPaaS/README', 'ConPaaS/ca_cert.pem', 'ConPaaS/config/director.cfg']);
      execFileSync('tar', ['-xzf', 'ConPaaS.tar.gz'], { cwd: dir });
      assert.equal(readFileSync(join(dir, 'ConPaaS/ca_cert.pem'), 'utf8'), server().caPem);
      assert.equal(
        readFileSync(join(dir, 'ConPaaS/config/director.cfg'), 'utf8'),
        `[conpaas]\nDIRECTOR_URL = ${server().httpsUrl}\n`,
      );
      assert.match(readFileSync(join(dir, 'ConPaaS/README'), 'utf8'), /decrementUserCredit\.php/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
