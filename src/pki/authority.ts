// The certificate authority: created once per database on first start, then read back by every process.
import { createPublicKey, KeyObject } from 'node:crypto';
import { nowIso } from '../lib/ids.ts';
import * as store from '../store/pki.ts';
import type { Db } from '../store/db.ts';
import {
  exportPrivateKey,
  importPrivateKey,
  readAuthorityFiles,
  writeAuthorityFiles,
  type AuthorityMaterial,
} from './key-files.ts';
import {
  generateKeys,
  newSerial,
  signingAlgorithm,
  subjectName,
  x509,
  type CryptoKey,
  type SigningAlgorithm,
} from './x509.ts';

export interface CertificateAuthority {
  certificate: x509.X509Certificate;
  certificatePem: string;
  /** Not extractable: nothing after start-up can read the key back out. */
  privateKey: CryptoKey;
  signingAlgorithm: SigningAlgorithm;
}

export interface AuthorityOptions {
  dir: string;
  keyPassphrase: string;
  caCommonName: string;
}

const caLifetimeMs = 10 * 365 * 24 * 3600_000;

async function createAuthorityMaterial(options: AuthorityOptions): Promise<AuthorityMaterial> {
  const keys = await generateKeys();
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: newSerial(),
    name: subjectName([
      ['CN', options.caCommonName],
      ['O', 'Contrail'],
    ]),
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + caLifetimeMs),
    keys,
    signingAlgorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: exportPrivateKey(KeyObject.from(keys.privateKey), options.keyPassphrase),
  };
}

const isEncrypted = (keyPem: string) => keyPem.includes('ENCRYPTED PRIVATE KEY');

/** A key stored in clear (made before a passphrase was set, or brought in clear) is encrypted by the first start that has one. */
async function protectStoredKey(
  db: Db,
  options: AuthorityOptions,
  row: store.AuthorityRow,
): Promise<store.AuthorityRow> {
  if (options.keyPassphrase === '' || isEncrypted(row.private_key)) return row;
  const encrypted = exportPrivateKey(importPrivateKey(row.private_key, ''), options.keyPassphrase);
  await store.replaceAuthorityKey(db, row.private_key, encrypted);
  return (await store.findAuthority(db))!;
}

/** The database row is the one CA; the first process to insert it wins and everyone else reads the winner. */
async function sharedAuthority(db: Db, options: AuthorityOptions): Promise<AuthorityMaterial> {
  const files = readAuthorityFiles(options.dir);
  let row = await store.findAuthority(db);
  if (!row) {
    // Files without a row are an existing CA (an older install, or one the operator brought): adopt it.
    const material = files ?? (await createAuthorityMaterial(options));
    await store.insertAuthorityIfAbsent(db, {
      id: store.authorityRowId,
      certificate: material.certificatePem,
      private_key: material.privateKeyPem,
      created_at: nowIso(),
    });
    row = (await store.findAuthority(db))!;
  }
  if (files && files.certificatePem.trim() !== row.certificate.trim()) {
    throw new Error(
      `${options.dir} holds a different CA than the database: move it away (the database's CA is written there) or point pki.dir elsewhere`,
    );
  }
  row = await protectStoredKey(db, options, row);
  const material = { certificatePem: row.certificate, privateKeyPem: row.private_key };
  // The files are this host's copy of the row: written when missing, and again once the key is encrypted.
  if (!files || files.privateKeyPem.trim() !== material.privateKeyPem.trim())
    writeAuthorityFiles(options.dir, material);
  return material;
}

export const unprotectedKeyWarning =
  'the CA private key is stored unencrypted (pki.keyPassphrase is empty): whoever reads the database or pki.dir can issue certificates. ' +
  'Set pki.keyPassphrase (env CLOUDPLANE_PKI_KEY_PASSPHRASE) on every process and restart; the stored key is then encrypted (docs/pki.md)';

/** Start-up says so, every time, while the CA key is kept without a passphrase (the default). */
export function warnIfKeyUnprotected(
  options: Pick<AuthorityOptions, 'keyPassphrase'>,
  log: { warn(message: string): void },
) {
  if (options.keyPassphrase === '') log.warn(unprotectedKeyWarning);
}

export async function openAuthority(db: Db, options: AuthorityOptions): Promise<CertificateAuthority> {
  const material = await sharedAuthority(db, options);
  const keyObject = importPrivateKey(material.privateKeyPem, options.keyPassphrase);
  const certificate = new x509.X509Certificate(material.certificatePem);
  const publicDer = createPublicKey(keyObject).export({ type: 'spki', format: 'der' });
  if (!Buffer.from(certificate.publicKey.rawData).equals(publicDer))
    throw new Error('the CA key does not belong to the CA certificate');
  const algorithm = keyAlgorithmOf(keyObject);
  return {
    certificate,
    certificatePem: certificate.toString('pem'),
    privateKey: keyObject.toCryptoKey(algorithm.key, false, ['sign']),
    signingAlgorithm: algorithm.signing,
  };
}

/** Our CAs are ECDSA P-256; an adopted CA may also be RSA. */
function keyAlgorithmOf(key: KeyObject) {
  if (key.asymmetricKeyType === 'rsa') {
    const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { key: rsa, signing: rsa };
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1')
    throw new Error('the CA key must be ECDSA P-256 or RSA');
  return { key: { name: 'ECDSA', namedCurve: 'P-256' }, signing: signingAlgorithm };
}
