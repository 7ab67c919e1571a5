// SQL for SSH key pairs (public halves only).
import type { Db } from './db.ts';
import type { KeyPairsTable } from './tables.ts';

export type KeyPairRow = KeyPairsTable;

export const insertKeyPair = (db: Db, row: KeyPairRow) => db.insertInto('key_pairs').values(row).execute();

export const listKeyPairs = (db: Db, userId: string) =>
  db.selectFrom('key_pairs').selectAll().where('user_id', '=', userId).orderBy('name').execute();

export const findKeyPair = (db: Db, userId: string, idOrName: string) =>
  db
    .selectFrom('key_pairs')
    .selectAll()
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)]))
    .executeTakeFirst();

export const deleteKeyPair = (db: Db, id: string) => db.deleteFrom('key_pairs').where('id', '=', id).execute();
