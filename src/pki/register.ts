// The register of issued certificates: listing, revocation, and the CRL that publishes revocations.
import { commitChange, recordEvent } from '../domain/commit.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { actsAsPlatformAdmin, type Caller } from '../domain/caller.ts';
import { nowIso } from '../lib/ids.ts';
import * as store from '../store/pki.ts';
import type { PkiContext } from './certificates.ts';
import type { Certificate } from './models.ts';
import { x509 } from './x509.ts';

const crlLifetimeMs = 24 * 3600_000;

export function toCertificate(row: store.CertificateRow, now = new Date().toISOString()): Certificate {
  return {
    serial: row.serial,
    role: row.role as Certificate['role'],
    subject: row.subject,
    userId: row.user_id,
    serviceId: row.service_id,
    teamId: row.team_id,
    notBefore: row.not_before,
    notAfter: row.not_after,
    revokedAt: row.revoked_at,
    state: row.revoked_at ? 'revoked' : row.not_after < now ? 'expired' : 'valid',
    createdAt: row.created_at,
  };
}

/** Your own certificates; platform admins see every certificate. */
export async function listCertificates(
  ctx: PkiContext,
  caller: Caller,
  page: { after?: [string, string]; limit: number },
) {
  const userId = actsAsPlatformAdmin(caller) ? undefined : caller.userId;
  const rows = await store.listCertificates(ctx.store.db, { userId, after: page.after, limit: page.limit });
  return rows.map((row) => toCertificate(row));
}

async function visibleCertificate(ctx: PkiContext, caller: Caller, serial: string) {
  const row = await store.findCertificate(ctx.store.db, serial.toLowerCase());
  if (!row || (row.user_id !== caller.userId && !actsAsPlatformAdmin(caller))) throw notFound('certificate', serial);
  return row;
}

export async function revokeCertificate(ctx: PkiContext, caller: Caller, serial: string): Promise<Certificate> {
  const row = await visibleCertificate(ctx, caller, serial);
  const at = nowIso();
  await commitChange(ctx, async (db) => {
    if (!(await store.markRevoked(db, row.serial, at)))
      throw conflict(`certificate ${row.serial} is already revoked`, { revokedAt: row.revoked_at });
    await recordEvent(db, caller, {
      type: 'certificate.revoked',
      teamId: row.team_id,
      objectKind: 'certificate',
      objectId: row.serial,
      data: { role: row.role, subject: row.subject },
    });
  });
  return toCertificate({ ...row, revoked_at: at });
}

/** Signed fresh on each request, valid for a day: revocations show at once. */
export async function certificateRevocationList(ctx: PkiContext): Promise<x509.X509Crl> {
  const revoked = await store.listRevoked(ctx.store.db);
  const now = Date.now();
  return x509.X509CrlGenerator.create({
    issuer: ctx.authority.certificate.subjectName,
    thisUpdate: new Date(now),
    nextUpdate: new Date(now + crlLifetimeMs),
    entries: revoked.map((row) => ({ serialNumber: row.serial, revocationDate: new Date(row.revoked_at!) })),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(ctx.authority.certificate)],
    signingKey: ctx.authority.privateKey,
    signingAlgorithm: ctx.authority.signingAlgorithm,
  });
}
