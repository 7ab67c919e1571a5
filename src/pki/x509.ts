// @peculiar/x509 set up on Node's WebCrypto, with the DN attribute names ConPaaS reads (UID, role, serviceLocator).
import 'reflect-metadata';
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// The library keeps its provider globally; every caller in this process wants the same one.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };

export type CryptoKey = webcrypto.CryptoKey;
export type SigningAlgorithm = webcrypto.EcdsaParams | webcrypto.RsaHashedImportParams;

/**
 * Attribute types in subjects, as OpenSSL names them (so ConPaaS's pyOpenSSL code reads them): `role` is X.520
 * id-at-role; `serviceLocator` is the OID OpenSSL calls serviceLocator (id-pkix-ocsp-service-locator).
 */
export const attributeOids = {
  UID: '0.9.2342.19200300.100.1.1',
  role: '2.5.4.72',
  serviceLocator: '1.3.6.1.5.5.7.48.1.7',
  emailAddress: '1.2.840.113549.1.9.1',
} as const;

const extraNames: Record<string, string> = { ...attributeOids };

export type SubjectField = keyof typeof attributeOids | 'CN' | 'O';

/** A subject in the given order, with our attribute names registered. */
export const subjectName = (fields: [SubjectField, string][]) =>
  new x509.Name(
    fields.map(([type, value]) => ({ [type]: [value] })),
    extraNames,
  );

/** Re-reads a parsed name so that our attributes print as UID=, role=, serviceLocator=, emailAddress=. */
export const readableName = (name: x509.Name) => new x509.Name(name.toArrayBuffer(), extraNames);

export const signingAlgorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export const generateKeys = async (): Promise<webcrypto.CryptoKeyPair> =>
  (await webcrypto.subtle.generateKey(signingAlgorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;

/** A positive 127-bit serial in hex (RFC 5280 allows up to 20 octets; the first bit stays clear). */
export function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

export const privateKeyPem = (key: CryptoKey) => KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }) as string;
