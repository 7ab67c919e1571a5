// The CA: created once on first start, kept protected on disk and in the database, one per database however many processes start.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAuthority, unprotectedKeyWarning, type AuthorityOptions } from '../../src/pki/authority.ts';
import { caCertificateFile, caKeyFile } from '../../src/pki/key-files.ts';
import { openStore } from '../../src/store/database.ts';
import type { Store } from '../../src/store/store.ts';
import { backends, createPostgresDatabase } from '../support/backends.ts';
import { startLoggedApp } from '../support/logged-app.ts';
import { startPkiServer } from './support.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

test('the first start creates the CA: key 0600 in a 0700 directory, certificate public over HTTP', async () => {
  const server = await startPkiServer('sqlite');
  try {
    assert.equal(mode(server.pkiDir), 0o700);
    assert.equal(mode(join(server.pkiDir, caKeyFile)), 0o600);
    assert.match(readFileSync(join(server.pkiDir, caKeyFile), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    const published = await (await fetch(`${server.url}/api/v1/pki/ca.pem`)).text();
    assert.equal(published, readFileSync(join(server.pkiDir, caCertificateFile), 'utf8'));
  } finally {
    await server.close();
  }
});

for (const backend of backends()) {
  describe(`one CA per database [${backend}]`, () => {
    let dir = '';
    let database: { url: string; sqlitePath: string; poolSize: number };
    let drop: (() => Promise<void>) | undefined;
    const stores: Store[] = [];
    const open = async () => {
      const store = await openStore(database);
      stores.push(store);
      return store;
    };
    const options = (name: string, extra: Partial<AuthorityOptions> = {}): AuthorityOptions => ({
      dir: join(dir, name),
      keyPassphrase: '',
      caCommonName: 'test CA',
      ...extra,
    });

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'cloudplane-ca-'));
      const postgres = backend === 'postgres' ? await createPostgresDatabase() : undefined;
      drop = postgres?.drop;
      database = { url: postgres?.url ?? '', sqlitePath: join(dir, 'shared.db'), poolSize: 2 };
    });
    after(async () => {
      for (const store of stores) await store.close();
      await drop?.();
      await rm(dir, { recursive: true, force: true });
    });

    test('processes starting at once on one database end up with the same CA, each with the files', async () => {
      // Opened one after the other: concurrent migrations of a fresh SQLite file are not what this tests.
      const a = await open();
      const b = await open();
      const [first, second, third] = await Promise.all([
        openAuthority(a.db, options('a')),
        openAuthority(b.db, options('b')),
        openAuthority(a.db, options('c')),
      ]);
      assert.equal(first.certificatePem, second.certificatePem);
      assert.equal(first.certificatePem, third.certificatePem);
      const rows = await a.db.selectFrom('pki_authority').selectAll().execute();
      assert.equal(rows.length, 1);
      for (const name of ['a', 'b', 'c']) {
        assert.equal(readFileSync(join(dir, name, caCertificateFile), 'utf8'), first.certificatePem);
        assert.equal(readFileSync(join(dir, name, caKeyFile), 'utf8'), rows[0].private_key);
      }
    });

    test('a CA directory that holds a different CA than the database stops the start with a clear message', async () => {
      const other = await mkdtemp(join(tmpdir(), 'cloudplane-ca-other-'));
      try {
        const foreignStore = await openStore({ url: '', sqlitePath: join(other, 'other.db'), poolSize: 1 });
        await openAuthority(foreignStore.db, { dir: join(other, 'ca'), keyPassphrase: '', caCommonName: 'other CA' });
        await foreignStore.close();
        const store = await open();
        await openAuthority(store.db, options('own'));
        await assert.rejects(
          openAuthority(store.db, { dir: join(other, 'ca'), keyPassphrase: '', caCommonName: 'x' }),
          /holds a different CA than the database/,
        );
      } finally {
        await rm(other, { recursive: true, force: true });
      }
    });

    test('processes given a passphrase at once encrypt the clear key once, and each opens and copies the winner', async () => {
      const a = await open();
      const b = await open();
      const locked = { keyPassphrase: 'one passphrase for every process' };
      const opened = await Promise.all([
        openAuthority(a.db, options('a', locked)),
        openAuthority(b.db, options('b', locked)),
        openAuthority(a.db, options('d', locked)),
      ]);
      const [row] = await a.db.selectFrom('pki_authority').selectAll().execute();
      assert.match(row.private_key, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      for (const name of ['a', 'b', 'd'])
        assert.equal(readFileSync(join(dir, name, caKeyFile), 'utf8'), row.private_key);
      assert.ok(opened.every((authority) => authority.certificatePem === row.certificate));
    });
  });
}

describe('a CA key protected by a passphrase', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloudplane-ca-pass-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('is encrypted PKCS#8 in the file and in the database, and only opens with the passphrase', async () => {
    const database = { url: '', sqlitePath: join(dir, 'pass.db'), poolSize: 1 };
    const store = await openStore(database);
    try {
      const passphrase = 'correct horse battery staple';
      const created = await openAuthority(store.db, {
        dir: join(dir, 'ca'),
        keyPassphrase: passphrase,
        caCommonName: 'locked CA',
      });
      const file = readFileSync(join(dir, 'ca', caKeyFile), 'utf8');
      assert.match(file, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      const row = await store.db.selectFrom('pki_authority').selectAll().executeTakeFirstOrThrow();
      assert.match(row.private_key, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      assert.ok(!JSON.stringify(row).includes(passphrase));
      await assert.rejects(
        openAuthority(store.db, { dir: join(dir, 'ca'), keyPassphrase: 'not-the-passphrase-42', caCommonName: 'x' }),
        (error: Error) =>
          /keyPassphrase is wrong/.test(error.message) && !error.message.includes('not-the-passphrase-42'),
      );
      await assert.rejects(
        openAuthority(store.db, { dir: join(dir, 'ca'), keyPassphrase: '', caCommonName: 'x' }),
        /set pki.keyPassphrase/,
      );
      const reopened = await openAuthority(store.db, {
        dir: join(dir, 'elsewhere'),
        keyPassphrase: passphrase,
        caCommonName: 'x',
      });
      assert.equal(reopened.certificatePem, created.certificatePem);
    } finally {
      await store.close();
    }
  });

  test('a key stored in clear is encrypted, in the database and the file, by the first start with a passphrase', async () => {
    const store = await openStore({ url: '', sqlitePath: join(dir, 'later.db'), poolSize: 1 });
    try {
      const clear = await openAuthority(store.db, {
        dir: join(dir, 'later'),
        keyPassphrase: '',
        caCommonName: 'later CA',
      });
      const passphrase = 'set after the first start';
      const locked = await openAuthority(store.db, {
        dir: join(dir, 'later'),
        keyPassphrase: passphrase,
        caCommonName: 'x',
      });
      assert.equal(locked.certificatePem, clear.certificatePem);
      const row = await store.db.selectFrom('pki_authority').selectAll().executeTakeFirstOrThrow();
      assert.match(row.private_key, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
      assert.equal(readFileSync(join(dir, 'later', caKeyFile), 'utf8'), row.private_key);
      assert.equal(mode(join(dir, 'later', caKeyFile)), 0o600);
      await assert.rejects(
        openAuthority(store.db, { dir: join(dir, 'later'), keyPassphrase: '', caCommonName: 'x' }),
        /set pki.keyPassphrase/,
      );
      assert.equal(
        (await openAuthority(store.db, { dir: join(dir, 'later'), keyPassphrase: passphrase, caCommonName: 'x' }))
          .certificatePem,
        clear.certificatePem,
      );
    } finally {
      await store.close();
    }
  });

  test('an existing CA in the directory is adopted by a fresh database', async () => {
    const source = await openStore({ url: '', sqlitePath: join(dir, 'source.db'), poolSize: 1 });
    const original = await openAuthority(source.db, {
      dir: join(dir, 'adopted'),
      keyPassphrase: '',
      caCommonName: 'adopted CA',
    });
    await source.close();
    const fresh = await openStore({ url: '', sqlitePath: join(dir, 'fresh.db'), poolSize: 1 });
    try {
      const adopted = await openAuthority(fresh.db, {
        dir: join(dir, 'adopted'),
        keyPassphrase: '',
        caCommonName: 'ignored',
      });
      assert.equal(adopted.certificatePem, original.certificatePem);
    } finally {
      await fresh.close();
    }
  });

  test('a key that does not belong to the certificate is refused', async () => {
    const a = await openStore({ url: '', sqlitePath: join(dir, 'a.db'), poolSize: 1 });
    const b = await openStore({ url: '', sqlitePath: join(dir, 'b.db'), poolSize: 1 });
    try {
      await openAuthority(a.db, { dir: join(dir, 'ca-a'), keyPassphrase: '', caCommonName: 'a' });
      await openAuthority(b.db, { dir: join(dir, 'ca-b'), keyPassphrase: '', caCommonName: 'b' });
      mkdirSync(join(dir, 'mixed'));
      writeFileSync(join(dir, 'mixed', caCertificateFile), readFileSync(join(dir, 'ca-a', caCertificateFile)));
      writeFileSync(join(dir, 'mixed', caKeyFile), readFileSync(join(dir, 'ca-b', caKeyFile)));
      const c = await openStore({ url: '', sqlitePath: join(dir, 'c.db'), poolSize: 1 });
      await assert.rejects(
        openAuthority(c.db, { dir: join(dir, 'mixed'), keyPassphrase: '', caCommonName: 'c' }),
        /does not belong/,
      );
      await c.close();
    } finally {
      await a.close();
      await b.close();
    }
  });
});

test('start-up warns in the log while the CA key has no passphrase, and not once it has one', async () => {
  const warnings = async (pki: Record<string, unknown>) => {
    const logged = await startLoggedApp({ pki, log: { level: 'warn' } });
    try {
      return logged
        .lines()
        .filter((line) => line.level === 40)
        .map((line) => line.msg);
    } finally {
      await logged.close();
    }
  };
  assert.deepEqual(await warnings({}), [unprotectedKeyWarning]);
  assert.match(unprotectedKeyWarning, /pki\.keyPassphrase.*CLOUDPLANE_PKI_KEY_PASSPHRASE/);
  assert.deepEqual(await warnings({ keyPassphrase: 'a passphrase for the CA key' }), []);
});
