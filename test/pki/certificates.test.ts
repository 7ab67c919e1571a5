// Issuing, listing and revoking certificates through the native API, and the CRL and CA certificate it publishes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { readableName, x509 } from '../../src/pki/x509.ts';
import { forEachPkiBackend, makeCsr, unzipCertificates } from './support.ts';
import { scratchDir } from '../support/scratch.ts';

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

/** openssl on files in a temp dir, to check our output with a second implementation. */
function openssl(args: string[], files: Record<string, string | Buffer>): string {
  const dir = scratchDir('cloudplane-openssl-');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const serialOf = (pem: string) => new X509Certificate(pem).serialNumber.toLowerCase();

forEachPkiBackend('certificates', (server) => {
  let bob: { id: string; token: string };
  let eve: { id: string; token: string };
  let serviceId = '';
  let foreignServiceId = '';
  before(async () => {
    bob = await server().user('pki-bob');
    eve = await server().user('pki-eve');
    await server().call('POST', '/api/v1/teams', { token: bob.token, body: { name: 'pki-bobs' } });
    await server().call('POST', '/api/v1/teams', { token: eve.token, body: { name: 'pki-eves' } });
    const create = (team: string, token: string) =>
      server().call('POST', `/api/v1/teams/${team}/resources`, {
        token,
        body: { kind: 'service', name: 'svc', spec: { type: 'http-static' } },
      });
    serviceId = (await create('pki-bobs', bob.token)).body.metadata.id;
    foreignServiceId = (await create('pki-eves', eve.token)).body.metadata.id;
  });
  const issueZip = (user: string, token: string) =>
    fetch(`${server().url}/api/v1/pki/users/${user}/certificates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
  const sign = (token: string, body: unknown) => server().call('POST', '/api/v1/pki/csr', { token, body });

  test('a user gets a zip with key.pem, cert.pem and ca_cert.pem, with the ConPaaS subject', async () => {
    const response = await issueZip('pki-bob', bob.token);
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('content-type'), 'application/zip');
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="certs.zip"');
    const files = unzipCertificates(new Uint8Array(await response.arrayBuffer()));
    assert.deepEqual(files.names, ['ca_cert.pem', 'cert.pem', 'key.pem']);
    assert.equal(files.ca, server().caPem);
    const certificate = new x509.X509Certificate(files.cert);
    assert.equal(
      readableName(certificate.subjectName).toString(),
      `UID=${bob.id}, role=user, serviceLocator=0, emailAddress=pki-bob@example.org, CN=pki-bob, O=Contrail`,
    );
    assert.equal(response.headers.get('x-certificate-serial'), certificate.serialNumber.toLowerCase());
    const publicFromKey = createPublicKey(createPrivateKey(files.key)).export({ type: 'spki', format: 'der' });
    assert.ok(
      Buffer.from(certificate.publicKey.rawData).equals(publicFromKey),
      'the key in the zip belongs to the certificate',
    );
    assert.ok(new X509Certificate(files.cert).verify(new X509Certificate(files.ca).publicKey));
    if (hasOpenssl) {
      assert.match(
        openssl(['verify', '-CAfile', 'ca.pem', '-purpose', 'sslclient', 'cert.pem'], {
          'ca.pem': files.ca,
          'cert.pem': files.cert,
        }),
        /cert.pem: OK/,
      );
      assert.match(
        openssl(['x509', '-in', 'cert.pem', '-noout', '-subject', '-nameopt', 'RFC2253'], { 'cert.pem': files.cert }),
        /role=user/,
      );
    }
  });

  test('the private key is never stored', async () => {
    const files = unzipCertificates(new Uint8Array(await (await issueZip(bob.id, bob.token)).arrayBuffer()));
    const keyBody = files.key.split('\n').slice(1, -2).join('');
    const everything = JSON.stringify([
      await server().app.ctx.store.db.selectFrom('pki_certificates').selectAll().execute(),
      await server().app.ctx.store.db.selectFrom('events').selectAll().execute(),
      await server().app.ctx.store.db.selectFrom('idempotency_keys').selectAll().execute(),
    ]);
    assert.ok(!everything.includes(keyBody.slice(0, 40)));
  });

  test('an Idempotency-Key is refused for user certificates, whose response is never stored', async () => {
    const response = await fetch(`${server().url}/api/v1/pki/users/pki-bob/certificates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.token}`, 'idempotency-key': 'once' },
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { detail: string }).detail, /private key/);
  });

  test('admins issue certificates for anyone; other users are told the user does not exist', async () => {
    assert.equal((await issueZip('pki-eve', server().adminToken)).status, 201);
    const forbidden = await issueZip('pki-eve', bob.token);
    assert.equal(forbidden.status, 404);
    assert.match(forbidden.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const unknown = await issueZip('nobody-here', server().adminToken);
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { detail: string }).detail, /user nobody-here not found/);
  });

  test("a manager's CSR is signed with its own key; role, service and UID are set by the CA", async () => {
    const csr = await makeCsr([
      ['CN', 'evil'],
      ['UID', eve.id],
      ['role', 'user'],
      ['serviceLocator', foreignServiceId],
    ]);
    const signed = await sign(bob.token, { csr: csr.pem, role: 'manager', service: serviceId });
    assert.equal(signed.status, 201, signed.text);
    assert.match(signed.headers.get('content-type') ?? '', /application\/x-pem-file/);
    const certificate = new x509.X509Certificate(signed.text);
    assert.equal(
      readableName(certificate.subjectName).toString(),
      `UID=${bob.id}, role=manager, serviceLocator=${serviceId}, CN=manager-${serviceId}, O=Contrail`,
    );
    const csrKey = createPublicKey(createPrivateKey(csr.key)).export({ type: 'spki', format: 'der' });
    assert.ok(Buffer.from(certificate.publicKey.rawData).equals(csrKey));
    const agent = await sign(bob.token, { csr: (await makeCsr()).pem, role: 'agent', service: serviceId });
    assert.match(readableName(new x509.X509Certificate(agent.text).subjectName).toString(), /role=agent/);
  });

  test('bad CSRs are 400 problems naming the field', async () => {
    const garbage = await sign(bob.token, { csr: 'not a csr', role: 'manager', service: serviceId });
    assert.equal(garbage.status, 400);
    assert.equal(garbage.body.field, 'csr');
    const broken = await sign(bob.token, {
      csr: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----',
      role: 'manager',
      service: serviceId,
    });
    assert.equal(broken.status, 400);
    assert.match(broken.body.detail, /cannot be parsed/);
    const tampered = await sign(bob.token, {
      csr: (await makeCsr(undefined, { tamper: true })).pem,
      role: 'manager',
      service: serviceId,
    });
    assert.equal(tampered.status, 400);
    assert.match(tampered.body.detail, /signature does not verify/);
    const badRole = await sign(bob.token, { csr: (await makeCsr()).pem, role: 'user', service: serviceId });
    assert.equal(badRole.status, 400);
  });

  test("an unknown service, or another team's, is a 404", async () => {
    const csr = (await makeCsr()).pem;
    const unknown = await sign(bob.token, { csr, role: 'manager', service: '0190a0b0-0000-7000-8000-000000000000' });
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.detail, /service .* not found/);
    assert.equal((await sign(bob.token, { csr, role: 'manager', service: 'not-a-uuid' })).status, 404);
    assert.equal((await sign(bob.token, { csr, role: 'manager', service: foreignServiceId })).status, 404);
  });

  test('users list their own certificates; admins list all, in pages', async () => {
    const own = await server().call('GET', '/api/v1/pki/certificates', { token: bob.token });
    assert.equal(own.status, 200);
    assert.ok(own.body.items.length >= 3);
    assert.ok(own.body.items.every((c: { userId: string }) => c.userId === bob.id));
    assert.ok(
      own.body.items.some(
        (c: { role: string; serviceId: string }) => c.role === 'manager' && c.serviceId === serviceId,
      ),
    );
    const all = await server().call('GET', '/api/v1/pki/certificates?limit=2', { token: server().adminToken });
    assert.equal(all.body.items.length, 2);
    const next = await server().call('GET', `/api/v1/pki/certificates?limit=500&cursor=${all.body.next}`, {
      token: server().adminToken,
    });
    const serials = [...all.body.items, ...next.body.items].map((c: { serial: string }) => c.serial);
    assert.equal(new Set(serials).size, serials.length);
    const everyone = [...all.body.items, ...next.body.items];
    assert.ok(everyone.some((c: { userId: string }) => c.userId === eve.id));
    assert.ok(everyone.some((c: { role: string }) => c.role === 'server'));
  });

  test('revoking puts the serial in the CRL (DER by default, PEM on request), signed by the CA', async () => {
    const signed = await sign(bob.token, { csr: (await makeCsr()).pem, role: 'agent', service: serviceId });
    const serial = serialOf(signed.text);
    const revoked = await server().call('POST', `/api/v1/pki/certificates/${serial.toUpperCase()}/revoke`, {
      token: bob.token,
    });
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.state, 'revoked');
    assert.equal(
      (await server().call('POST', `/api/v1/pki/certificates/${serial}/revoke`, { token: bob.token })).status,
      409,
    );

    const der = await fetch(`${server().url}/api/v1/pki/crl`);
    assert.equal(der.headers.get('content-type'), 'application/pkix-crl');
    const crl = new x509.X509Crl(new Uint8Array(await der.arrayBuffer()));
    assert.ok(await crl.verify({ publicKey: new x509.X509Certificate(server().caPem) }));
    assert.ok(crl.findRevoked(serial));
    const pem = await fetch(`${server().url}/api/v1/pki/crl`, { headers: { accept: 'application/x-pem-file' } });
    const pemText = await pem.text();
    assert.match(pemText, /^-----BEGIN X509 CRL-----/);
    if (hasOpenssl) {
      const checked = openssl(['crl', '-in', 'crl.pem', '-CAfile', 'ca.pem', '-noout', '-text'], {
        'crl.pem': pemText,
        'ca.pem': server().caPem,
      });
      assert.match(checked, new RegExp(serial, 'i'));
      assert.throws(
        () =>
          openssl(['verify', '-crl_check', '-CAfile', 'ca.pem', '-CRLfile', 'crl.pem', 'cert.pem'], {
            'crl.pem': pemText,
            'ca.pem': server().caPem,
            'cert.pem': signed.text,
          }),
        /revoked/,
      );
    }
  });

  test("another user's certificate cannot be revoked by you; unknown serials are 404", async () => {
    const evesList = await server().call('GET', '/api/v1/pki/certificates', { token: eve.token });
    const serial = evesList.body.items[0].serial;
    assert.equal(
      (await server().call('POST', `/api/v1/pki/certificates/${serial}/revoke`, { token: bob.token })).status,
      404,
    );
    assert.equal(
      (await server().call('POST', '/api/v1/pki/certificates/abcdef/revoke', { token: bob.token })).status,
      404,
    );
    assert.equal(
      (await server().call('POST', '/api/v1/pki/certificates/xyz/revoke', { token: bob.token })).status,
      400,
    );
    assert.equal(
      (await server().call('POST', `/api/v1/pki/certificates/${serial}/revoke`, { token: server().adminToken })).status,
      200,
    );
  });

  test('the CA certificate is public', async () => {
    const response = await fetch(`${server().url}/api/v1/pki/ca.pem`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/x-pem-file/);
    const ca = new x509.X509Certificate(await response.text());
    assert.equal(readableName(ca.subjectName).toString(), 'CN=cloudplane CA, O=Contrail');
    assert.ok(await ca.isSelfSigned());
  });

  test('issuing and revoking are events in the change feed', async () => {
    const events = await server().call('GET', '/api/v1/events?limit=500', { token: server().adminToken });
    const types = new Set(events.body.items.map((e: { type: string }) => e.type));
    assert.ok(types.has('certificate.issued'));
    assert.ok(types.has('certificate.revoked'));
  });
});
