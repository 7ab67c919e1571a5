// Maps a client certificate to who presented it: a user, or a service's manager or agent. Every failure has its reason.
import { DomainError } from '../domain/errors.ts';
import * as store from '../store/pki.ts';
import { findUserById } from '../store/users.ts';
import type { PkiContext } from './certificates.ts';
import type { CertificateIdentity } from './models.ts';
import { x509 } from './x509.ts';

export type CertificateFailure =
  | 'no-certificate'
  | 'unknown-ca'
  | 'not-yet-valid'
  | 'expired'
  | 'revoked'
  | 'unknown-certificate'
  | 'not-a-client-certificate'
  | 'unknown-user';

/** A 401 whose `reason` says why the certificate was not accepted; dialects map it to their own answers. */
export class CertificateError extends DomainError {
  readonly reason: CertificateFailure;

  constructor(reason: CertificateFailure, message: string) {
    super('unauthorized', message, { reason });
    this.name = 'CertificateError';
    this.reason = reason;
  }
}

async function signedByUs(ctx: PkiContext, certificate: x509.X509Certificate): Promise<boolean> {
  const issuer = ctx.authority.certificate.subjectName;
  if (!Buffer.from(certificate.issuerName.toArrayBuffer()).equals(Buffer.from(issuer.toArrayBuffer()))) return false;
  return certificate.verify({ publicKey: ctx.authority.certificate, signatureOnly: true }).catch(() => false);
}

/** The chain to our CA, the dates, then the register (revocation, role, owner). */
export async function identifyCertificate(
  ctx: PkiContext,
  der: Uint8Array,
  now = new Date(),
): Promise<CertificateIdentity | CertificateError> {
  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(der);
  } catch {
    return new CertificateError('unknown-ca', 'the client certificate cannot be parsed');
  }
  if (!(await signedByUs(ctx, certificate)))
    return new CertificateError('unknown-ca', 'the client certificate was not issued by this cloudplane CA');
  if (certificate.notBefore > now)
    return new CertificateError(
      'not-yet-valid',
      `the client certificate is not valid before ${certificate.notBefore.toISOString()}`,
    );
  if (certificate.notAfter < now)
    return new CertificateError('expired', `the client certificate expired at ${certificate.notAfter.toISOString()}`);
  const serial = certificate.serialNumber.toLowerCase();
  const row = await store.findCertificate(ctx.store.db, serial);
  if (!row) return new CertificateError('unknown-certificate', `certificate ${serial} is not in this CA's register`);
  if (row.revoked_at) return new CertificateError('revoked', `certificate ${serial} was revoked at ${row.revoked_at}`);
  if (row.role === 'server' || !row.user_id)
    return new CertificateError('not-a-client-certificate', `certificate ${serial} is not a client certificate`);
  const user = await findUserById(ctx.store.db, row.user_id);
  if (!user || user.disabled)
    return new CertificateError('unknown-user', `the user of certificate ${serial} no longer exists or is disabled`);
  if (row.role === 'user') return { kind: 'user', userId: row.user_id, serial };
  return {
    kind: 'service',
    role: row.role as 'manager' | 'agent',
    serviceId: row.service_id!,
    userId: row.user_id,
    serial,
  };
}
