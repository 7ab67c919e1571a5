// The HTTPS listener: real TLS connections mapped to identities by their client certificates.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, test } from 'node:test';
import { issueUserCertificates } from '../../src/pki/certificates.ts';
import {
  adminCaller,
  forEachPkiBackend,
  foreignCredentials,
  makeCsr,
  mtlsCall,
  unzipCertificates,
  userCredentials,
  type ClientCredentials,
} from './support.ts';

forEachPkiBackend('mTLS listener', (server) => {
  let bob: { id: string; token: string };
  let credentials: ClientCredentials;
  before(async () => {
    bob = await server().user('mtls-bob');
    credentials = await userCredentials(server(), bob.id, bob.token);
  });

  test('a user certificate from our CA identifies its user', async () => {
    const response = await mtlsCall(server(), '/api/v1/pki/identity', { credentials });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.equal(response.body.kind, 'user');
    assert.equal(response.body.userId, bob.id);
  });

  test('a manager certificate identifies its role, service and user', async () => {
    assert.equal(
      (await server().call('POST', '/api/v1/teams', { token: bob.token, body: { name: 'mtls-team' } })).status,
      201,
    );
    const service = await server().call('POST', '/api/v1/teams/mtls-team/resources', {
      token: bob.token,
      body: { kind: 'service', name: 'svc', spec: { type: 'http-static' } },
    });
    assert.equal(service.status, 201, service.text);
    const csr = await makeCsr();
    const signed = await server().call('POST', '/api/v1/pki/csr', {
      token: bob.token,
      body: { csr: csr.pem, role: 'manager', service: service.body.metadata.id },
    });
    assert.equal(signed.status, 201, signed.text);
    const response = await mtlsCall(server(), '/api/v1/pki/identity', {
      credentials: { key: csr.key, cert: signed.text },
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(
      { ...response.body, serial: undefined },
      { kind: 'service', role: 'manager', serviceId: service.body.metadata.id, userId: bob.id, serial: undefined },
    );
  });

  test('the listener certificate is issued by the same CA for localhost and 127.0.0.1', async () => {
    const response = await mtlsCall(server(), '/healthz', {});
    assert.equal(response.status, 200);
    const rows = await server()
      .app.ctx.store.db.selectFrom('pki_certificates')
      .selectAll()
      .where('role', '=', 'server')
      .execute();
    assert.equal(rows.length, 1);
    const certificate = new X509Certificate(rows[0].certificate);
    assert.ok(certificate.verify(new X509Certificate(server().caPem).publicKey));
    assert.ok(certificate.checkHost('localhost'));
    assert.ok(certificate.checkIP('127.0.0.1'));
  });

  test('without a certificate the identity route says so, and bearer tokens still work there', async () => {
    const response = await mtlsCall(server(), '/api/v1/pki/identity');
    assert.equal(response.status, 401);
    assert.match(response.contentType, /^application\/problem\+json/);
    assert.equal(response.body.reason, 'no-certificate');
    const me = await mtlsCall(server(), '/api/v1/me', { token: bob.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.username, 'mtls-bob');
  });

  test('a revoked certificate is refused with reason revoked', async () => {
    const revoked = await userCredentials(server(), bob.id, bob.token);
    const serial = new X509Certificate(revoked.cert).serialNumber.toLowerCase();
    assert.equal((await mtlsCall(server(), '/api/v1/pki/identity', { credentials: revoked })).status, 200);
    assert.equal(
      (await server().call('POST', `/api/v1/pki/certificates/${serial}/revoke`, { token: bob.token })).status,
      200,
    );
    const response = await mtlsCall(server(), '/api/v1/pki/identity', { credentials: revoked });
    assert.equal(response.status, 401);
    assert.equal(response.body.reason, 'revoked');
    assert.match(response.body.detail, /revoked at/);
  });

  test('an expired certificate is refused with reason expired', async () => {
    const day = 24 * 3600_000;
    const issued = await issueUserCertificates(server().app.pki, await adminCaller(server()), bob.id, {
      validity: { notBefore: new Date(Date.now() - 2 * day), notAfter: new Date(Date.now() - day) },
    });
    const expired = unzipCertificates(issued.zip);
    const response = await mtlsCall(server(), '/api/v1/pki/identity', { credentials: expired });
    assert.equal(response.status, 401);
    assert.equal(response.body.reason, 'expired');
  });

  test('a certificate from a foreign CA is refused with reason unknown-ca, even with our subject fields', async () => {
    const response = await mtlsCall(server(), '/api/v1/pki/identity', {
      credentials: await foreignCredentials(bob.id),
    });
    assert.equal(response.status, 401);
    assert.equal(response.body.reason, 'unknown-ca');
  });

  test('a disabled user is no longer identified by their certificate', async () => {
    const carol = await server().user('mtls-carol');
    const carolCredentials = await userCredentials(server(), carol.id);
    await server().call('PATCH', `/api/v1/users/${carol.id}`, { token: server().adminToken, body: { disabled: true } });
    const response = await mtlsCall(server(), '/api/v1/pki/identity', { credentials: carolCredentials });
    assert.equal(response.status, 401);
    assert.equal(response.body.reason, 'unknown-user');
  });

  test('the plain HTTP port has no certificate identity', async () => {
    const response = await server().call('GET', '/api/v1/pki/identity');
    assert.equal(response.status, 401);
    assert.equal(response.body.reason, 'no-certificate');
  });
});
