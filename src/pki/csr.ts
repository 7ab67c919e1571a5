// Reads a PKCS#10 request and checks what the CA relies on: it parses, its signature verifies, its key is strong enough.
import { createPublicKey } from 'node:crypto';
import { invalid } from '../domain/errors.ts';
import { x509 } from './x509.ts';

const pemPattern = /-----BEGIN (NEW )?CERTIFICATE REQUEST-----[\s\S]+-----END (NEW )?CERTIFICATE REQUEST-----/;

function checkKeyStrength(csr: x509.Pkcs10CertificateRequest) {
  const key = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) < 2048)
    throw invalid('the CSR has an RSA key shorter than 2048 bits', { field: 'csr' });
  if (!['rsa', 'ec', 'ed25519'].includes(key.asymmetricKeyType ?? ''))
    throw invalid(`the CSR has an unsupported ${key.asymmetricKeyType} key`, { field: 'csr' });
}

export async function parseCsr(pem: string): Promise<x509.Pkcs10CertificateRequest> {
  const block = pemPattern.exec(pem);
  if (!block)
    throw invalid('csr must be a PEM certificate request (-----BEGIN CERTIFICATE REQUEST-----)', { field: 'csr' });
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(block[0]);
  } catch (error) {
    throw invalid(`csr cannot be parsed: ${(error as Error).message}`, { field: 'csr' });
  }
  const verified = await csr.verify().catch(() => false);
  if (!verified) throw invalid('the CSR signature does not verify with its own public key', { field: 'csr' });
  checkKeyStrength(csr);
  return csr;
}
