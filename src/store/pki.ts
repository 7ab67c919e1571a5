// SQL for the certificate authority row and the register of issued certificates.
import type { Db } from './db.ts';
import type { PkiAuthorityTable, PkiCertificatesTable } from './tables.ts';

export type AuthorityRow = PkiAuthorityTable;
export type CertificateRow = PkiCertificatesTable;

/** The single row's key: the table can hold one CA only. */
export const authorityRowId = 'ca';

export const findAuthority = (db: Db) =>
  db.selectFrom('pki_authority').selectAll().where('id', '=', authorityRowId).executeTakeFirst();

/** Inserts the CA unless another process already did; the caller reads the winner back. */
export const insertAuthorityIfAbsent = (db: Db, row: AuthorityRow) =>
  db
    .insertInto('pki_authority')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();

/** Replaces the stored key only while it is still `current`: of processes re-encrypting it at once, one wins. */
export const replaceAuthorityKey = (db: Db, current: string, next: string) =>
  db
    .updateTable('pki_authority')
    .set({ private_key: next })
    .where('id', '=', authorityRowId)
    .where('private_key', '=', current)
    .execute();

export const insertCertificate = (db: Db, row: CertificateRow) =>
  db.insertInto('pki_certificates').values(row).execute();

export const findCertificate = (db: Db, serial: string) =>
  db.selectFrom('pki_certificates').selectAll().where('serial', '=', serial).executeTakeFirst();

/** Pages ordered by (created_at, serial); `userId` limits to one user's certificates. */
export function listCertificates(db: Db, filter: { userId?: string; after?: [string, string]; limit: number }) {
  let query = db.selectFrom('pki_certificates').selectAll();
  if (filter.userId !== undefined) query = query.where('user_id', '=', filter.userId);
  if (filter.after) {
    const [createdAt, serial] = filter.after;
    query = query.where((eb) =>
      eb.or([eb('created_at', '>', createdAt), eb.and([eb('created_at', '=', createdAt), eb('serial', '>', serial)])]),
    );
  }
  return query.orderBy('created_at').orderBy('serial').limit(filter.limit).execute();
}

/** Sets revoked_at once; answers whether this call revoked it. */
export async function markRevoked(db: Db, serial: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('pki_certificates')
    .set({ revoked_at: at })
    .where('serial', '=', serial)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export const listRevoked = (db: Db) =>
  db
    .selectFrom('pki_certificates')
    .select(['serial', 'revoked_at'])
    .where('revoked_at', 'is not', null)
    .orderBy('serial')
    .execute();

/** A resource by id in any team, unless deleted; the service checks the caller's access to its team. */
export const findLiveResource = (db: Db, id: string) =>
  db
    .selectFrom('resources')
    .select(['id', 'team_id', 'kind', 'state'])
    .where('id', '=', id)
    .where('state', '!=', 'deleted')
    .where('deletion_requested_at', 'is', null)
    .executeTakeFirst();
