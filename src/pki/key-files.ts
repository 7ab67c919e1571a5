// The CA's files under pki.dir: the key 0600 in a 0700 directory, written atomically so readers never see half a file.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrivateKey, type KeyObject } from 'node:crypto';

export const caKeyFile = 'ca_key.pem';
export const caCertificateFile = 'ca_cert.pem';

export interface AuthorityMaterial {
  certificatePem: string;
  /** PKCS#8 PEM, encrypted when a passphrase is configured. */
  privateKeyPem: string;
}

export function readAuthorityFiles(dir: string): AuthorityMaterial | undefined {
  const keyPath = join(dir, caKeyFile);
  const certificatePath = join(dir, caCertificateFile);
  if (!existsSync(keyPath) || !existsSync(certificatePath)) return undefined;
  return { certificatePem: readFileSync(certificatePath, 'utf8'), privateKeyPem: readFileSync(keyPath, 'utf8') };
}

function writeAtomically(path: string, content: string, mode: number) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode, flag: 'w' });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

export function writeAuthorityFiles(dir: string, material: AuthorityMaterial) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  writeAtomically(join(dir, caKeyFile), material.privateKeyPem, 0o600);
  writeAtomically(join(dir, caCertificateFile), material.certificatePem, 0o644);
}

/** PKCS#8 PEM of a key, encrypted with AES-256-CBC when a passphrase is given. */
export const exportPrivateKey = (key: KeyObject, passphrase: string): string =>
  (passphrase === ''
    ? key.export({ type: 'pkcs8', format: 'pem' })
    : key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })) as string;

/** Opens a stored CA key; the message never carries the passphrase. */
export function importPrivateKey(pem: string, passphrase: string): KeyObject {
  const encrypted = pem.includes('ENCRYPTED PRIVATE KEY');
  if (encrypted && passphrase === '')
    throw new Error('the CA key is encrypted: set pki.keyPassphrase (CLOUDPLANE_PKI_KEY_PASSPHRASE)');
  try {
    return createPrivateKey(encrypted ? { key: pem, format: 'pem', passphrase } : { key: pem, format: 'pem' });
  } catch {
    throw new Error(
      encrypted ? 'cannot decrypt the CA key: pki.keyPassphrase is wrong' : 'the stored CA key is not a PKCS#8 PEM key',
    );
  }
}
