// Signs one certificate with the CA and writes it to the register in the caller's transaction.
import { isIP } from 'node:net';
import { nowIso } from '../lib/ids.ts';
import * as store from '../store/pki.ts';
import type { Db } from '../store/db.ts';
import type { CertificateAuthority } from './authority.ts';
import { newSerial, readableName, subjectName, x509, type CryptoKey, type SubjectField } from './x509.ts';

export type CertificateRole = 'user' | 'manager' | 'agent' | 'server';

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

export interface CertificateRequest {
  role: CertificateRole;
  subject: [SubjectField, string][];
  publicKey: CryptoKey | x509.PublicKey;
  userId: string | null;
  serviceId?: string;
  teamId?: string;
  issuedBy: string | null;
  /** DNS names and IP addresses, for the listener's server certificate only. */
  hostnames?: string[];
  validity: Validity;
}

/** Starts a minute back so that a peer whose clock is slightly behind still accepts it. */
export const validityFor = (days: number, now = Date.now()): Validity => ({
  notBefore: new Date(now - 60_000),
  notAfter: new Date(now + days * 24 * 3600_000),
});

async function extensionsFor(authority: CertificateAuthority, request: CertificateRequest): Promise<x509.Extension[]> {
  const server = request.role === 'server';
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    // Only the listener's own certificate may serve TLS: a user named "localhost" cannot impersonate it.
    new x509.ExtendedKeyUsageExtension([server ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(authority.certificate),
    await x509.SubjectKeyIdentifierExtension.create(request.publicKey),
  ];
  if (request.hostnames?.length) {
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        request.hostnames.map((name) => ({ type: isIP(name) ? 'ip' : 'dns', value: name })),
      ),
    );
  }
  return extensions;
}

export async function issueCertificate(
  db: Db,
  authority: CertificateAuthority,
  request: CertificateRequest,
): Promise<{ certificate: x509.X509Certificate; row: store.CertificateRow }> {
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: newSerial(),
    subject: subjectName(request.subject),
    issuer: authority.certificate.subjectName,
    notBefore: request.validity.notBefore,
    notAfter: request.validity.notAfter,
    publicKey: request.publicKey,
    signingKey: authority.privateKey,
    signingAlgorithm: authority.signingAlgorithm,
    extensions: await extensionsFor(authority, request),
  });
  const row: store.CertificateRow = {
    serial: certificate.serialNumber.toLowerCase(),
    role: request.role,
    subject: readableName(certificate.subjectName).toString(),
    user_id: request.userId,
    service_id: request.serviceId ?? null,
    team_id: request.teamId ?? null,
    issued_by: request.issuedBy,
    not_before: certificate.notBefore.toISOString(),
    not_after: certificate.notAfter.toISOString(),
    revoked_at: null,
    certificate: certificate.toString('pem'),
    created_at: nowIso(),
  };
  await store.insertCertificate(db, row);
  return { certificate, row };
}
