import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, test } from 'node:test';
import sshpk from 'sshpk';
import { forEachBackend } from '../support/each-backend.ts';

const opensshPublicKey = (type: 'rsa' | 'ed25519' | 'ec', options: object = {}) => {
  const { publicKey } = generateKeyPairSync(
    type as 'rsa',
    {
      ...options,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    } as never,
  ) as unknown as { publicKey: string };
  return sshpk.parseKey(publicKey, 'pem').toString('ssh');
};

forEachBackend('SSH key pairs', (server) => {
  let token = '';
  before(async () => {
    token = (await server().user('keys-owner')).token;
  });
  const create = (body: unknown) => server().call('POST', '/api/v1/keypairs', { token, body });

  test('generating gives an ed25519 key by default, with the private key once', async () => {
    const created = await create({ name: 'default' });
    assert.equal(created.status, 201);
    assert.equal(created.body.type, 'ed25519');
    assert.match(created.body.privateKey, /^-----BEGIN OPENSSH PRIVATE KEY-----/);
    const privateKey = sshpk.parsePrivateKey(created.body.privateKey, 'openssh');
    assert.equal(privateKey.toPublic().toString('ssh').split(' ')[1], created.body.publicKey.split(' ')[1]);
    assert.equal(privateKey.fingerprint('sha256').toString(), created.body.fingerprint);
    assert.match(created.body.fingerprintMd5, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const fetched = await server().call('GET', '/api/v1/keypairs/default', { token });
    assert.equal(fetched.body.privateKey, undefined);
    assert.equal(fetched.body.fingerprint, created.body.fingerprint);
  });

  test('RSA keys are generated with 3072 bits', async () => {
    const created = await create({ name: 'rsa', type: 'rsa' });
    assert.equal(created.body.type, 'rsa');
    assert.equal(sshpk.parseKey(created.body.publicKey, 'ssh').size, 3072);
  });

  test('private keys are never stored', async () => {
    const created = await create({ name: 'secret-check' });
    const body = created.body.privateKey.split('\n').slice(1, -2).join('');
    const rows = await server().app.ctx.store.db.selectFrom('key_pairs').selectAll().execute();
    assert.ok(!JSON.stringify(rows).includes(body.slice(0, 40)));
    assert.ok(!JSON.stringify(rows).includes('PRIVATE KEY'));
  });

  test('imports ed25519, ecdsa and RSA >= 2048 public keys', async () => {
    const keys: [string, string, string][] = [
      ['imported-ed', opensshPublicKey('ed25519'), 'ed25519'],
      ['imported-ec', opensshPublicKey('ec', { namedCurve: 'P-256' }), 'ecdsa-256'],
      ['imported-rsa', opensshPublicKey('rsa', { modulusLength: 2048 }), 'rsa'],
    ];
    for (const [name, publicKey, type] of keys) {
      const created = await create({ name, publicKey });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.type, type);
      assert.equal(created.body.privateKey, undefined);
      assert.equal(created.body.fingerprint, sshpk.parseKey(publicKey, 'ssh').fingerprint('sha256').toString());
    }
  });

  test('rejects short RSA keys, garbage, and import together with a type', async () => {
    const short = await create({ name: 'short', publicKey: opensshPublicKey('rsa', { modulusLength: 1024 }) });
    assert.equal(short.status, 400);
    assert.match(short.body.detail, /2048/);
    assert.equal((await create({ name: 'garbage', publicKey: 'ssh-rsa AAAA not a key' })).status, 400);
    assert.equal((await create({ name: 'both', type: 'rsa', publicKey: opensshPublicKey('ed25519') })).status, 400);
  });

  test('names are unique per user but not across users', async () => {
    await create({ name: 'shared-name' });
    assert.equal((await create({ name: 'shared-name' })).status, 409);
    const other = await server().user('keys-other');
    assert.equal(
      (await server().call('POST', '/api/v1/keypairs', { token: other.token, body: { name: 'shared-name' } })).status,
      201,
    );
  });

  test('listing and deleting', async () => {
    await create({ name: 'to-delete' });
    assert.equal((await server().call('DELETE', '/api/v1/keypairs/to-delete', { token })).status, 204);
    const list = await server().call('GET', '/api/v1/keypairs', { token });
    assert.ok(!list.body.items.some((k: { name: string }) => k.name === 'to-delete'));
    assert.ok(list.body.items.some((k: { name: string }) => k.name === 'default'));
  });
});
