// SSH key material: generation (ed25519, RSA-3072), OpenSSH public-key import, fingerprints.
import { generateKeyPairSync } from 'node:crypto';
import sshpk from 'sshpk';
import { invalid } from '../domain/errors.ts';

export const generatableTypes = ['ed25519', 'rsa'] as const;
export type GeneratableType = (typeof generatableTypes)[number];

export interface PublicKeyInfo {
  type: string;
  publicKey: string;
  fingerprintSha256: string;
  fingerprintMd5: string;
}

function describe(key: sshpk.Key, comment: string): PublicKeyInfo {
  key.comment = comment;
  return {
    type: key.type === 'ecdsa' ? `ecdsa-${key.size}` : key.type,
    publicKey: key.toString('ssh'),
    fingerprintSha256: key.fingerprint('sha256').toString(),
    fingerprintMd5: key.fingerprint('md5').toString('hex'),
  };
}

/** A new key pair; the private key is handed back in OpenSSH format and kept nowhere. */
export function generateKeyPair(type: GeneratableType, comment: string): PublicKeyInfo & { privateKey: string } {
  const { privateKey: pem } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', {
          modulusLength: 3072,
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        })
      : generateKeyPairSync('ed25519', {
          privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
          publicKeyEncoding: { type: 'spki', format: 'pem' },
        });
  const key = sshpk.parsePrivateKey(pem, 'pem');
  key.comment = comment;
  return { ...describe(key.toPublic(), comment), privateKey: key.toString('openssh') };
}

/** Accepts an OpenSSH public key line: ed25519, ecdsa, or RSA of at least 2048 bits. */
export function importPublicKey(text: string, comment: string): PublicKeyInfo {
  let key: sshpk.Key;
  try {
    key = sshpk.parseKey(text.trim(), 'ssh');
  } catch {
    throw invalid('publicKey is not a valid OpenSSH public key', { field: 'publicKey' });
  }
  if (key.type === 'rsa' && key.size < 2048)
    throw invalid(`RSA keys must have at least 2048 bits; this one has ${key.size}`, { field: 'publicKey' });
  if (!['rsa', 'ed25519', 'ecdsa'].includes(key.type))
    throw invalid(`${key.type} keys are not accepted; use ed25519, ecdsa or rsa`, { field: 'publicKey' });
  return describe(key, comment || key.comment || '');
}
