// `cloudplane pki ...`, run as a real child process against a real server.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { x509 } from '../../src/pki/x509.ts';
import { makeCsr, startPkiServer, unzipCertificates, type PkiServer } from './support.ts';
import { scratchDir } from '../support/scratch.ts';

const bin = join(import.meta.dirname, '../../bin/cloudplane.js');
let server: PkiServer;
let dir = '';

before(async () => {
  server = await startPkiServer('sqlite');
  dir = scratchDir('cloudplane-pki-cli-');
});
after(() => server.close());

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CLOUDPLANE_')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...env, CLOUDPLANE_CONFIG_DIR: dir, CLOUDPLANE_URL: server.url, CLOUDPLANE_TOKEN: server.adminToken } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('pki ca prints the CA certificate', async () => {
  const result = await run(['pki', 'ca']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, server.caPem);
});

test('pki user-cert writes the zip with mode 0600; to an existing file it refuses before issuing', async () => {
  await server.user('cli-pki-user');
  const out = join(dir, 'certs.zip');
  const result = await run(['pki', 'user-cert', 'cli-pki-user', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.deepEqual(unzipCertificates(readFileSync(out)).names, ['ca_cert.pem', 'cert.pem', 'key.pem']);
  const zip = readFileSync(out);
  const issued = async () =>
    (await server.call('GET', '/api/v1/pki/certificates', { token: server.adminToken })).body.items.length;
  const before = await issued();
  const again = await run(['pki', 'user-cert', 'cli-pki-user', '--out', out]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists and is never overwritten: nothing was asked of the server/);
  assert.equal(await issued(), before, 'no certificate was issued for a zip that could not be written');
  assert.deepEqual(readFileSync(out), zip);
});

test('pki user-cert that the server refuses leaves no file behind', async () => {
  const out = join(dir, 'nobody.zip');
  const result = await run(['pki', 'user-cert', 'no-such-user', '--out', out]);
  assert.equal(result.code, 1);
  assert.ok(!existsSync(out));
});

test('pki sign, list, revoke and crl', async () => {
  const team = await server.call('POST', '/api/v1/teams', { token: server.adminToken, body: { name: 'cli-pki' } });
  assert.equal(team.status, 201);
  const service = await server.call('POST', '/api/v1/teams/cli-pki/resources', {
    token: server.adminToken,
    body: { kind: 'service', name: 's', spec: { type: 'http-static' } },
  });
  const csrFile = join(dir, 'manager.csr');
  writeFileSync(csrFile, (await makeCsr()).pem);
  const signed = await run(['pki', 'sign', csrFile, '--role', 'manager', '--service', service.body.metadata.id]);
  assert.equal(signed.code, 0, signed.stderr);
  const serial = new x509.X509Certificate(signed.stdout).serialNumber.toLowerCase();

  const list = await run(['pki', 'list']);
  assert.match(list.stdout, new RegExp(`${serial}\\s+manager\\s+valid`));
  const revoked = await run(['pki', 'revoke', serial]);
  assert.equal(revoked.code, 0, revoked.stderr);
  assert.match(revoked.stdout, new RegExp(`revoked ${serial}`));
  const crl = await run(['pki', 'crl']);
  assert.ok(new x509.X509Crl(crl.stdout).findRevoked(serial));

  const unknownService = await run(['pki', 'sign', csrFile, '--role', 'manager', '--service', 'nope']);
  assert.equal(unknownService.code, 1);
  assert.match(unknownService.stderr, /error: service nope not found/);
  const badRole = await run(['pki', 'sign', csrFile, '--role', 'user', '--service', 'nope']);
  assert.notEqual(badRole.code, 0);
});
