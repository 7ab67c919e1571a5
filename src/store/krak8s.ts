// SQL for the krak8s id table: one 8-hex id per core object the krak8s dialect has shown or made.
import type { Krak8sIdsTable } from './tables.ts';
import type { Db } from './db.ts';

export type Krak8sIdRow = Krak8sIdsTable;

export const insertKrak8sId = (db: Db, row: Krak8sIdRow) => db.insertInto('krak8s_ids').values(row).execute();

export const findKrak8sId = (db: Db, oid: string) =>
  db.selectFrom('krak8s_ids').selectAll().where('oid', '=', oid).executeTakeFirst();

export const findKrak8sIdsOf = async (db: Db, objectIds: string[]): Promise<Krak8sIdRow[]> =>
  objectIds.length === 0 ? [] : db.selectFrom('krak8s_ids').selectAll().where('object_id', 'in', objectIds).execute();

export const hideKrak8sObject = (db: Db, oid: string, at: string) =>
  db.updateTable('krak8s_ids').set({ hidden_at: at }).where('oid', '=', oid).execute();
