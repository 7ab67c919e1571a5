// SQL for users.
import type { Db } from './db.ts';
import type { UsersTable } from './tables.ts';

export type UserRow = UsersTable;

export const insertUser = (db: Db, row: UserRow) => db.insertInto('users').values(row).execute();

export const findUserById = (db: Db, id: string) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const findUserByUsername = (db: Db, username: string) =>
  db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();

export const listUsers = (db: Db, after: string | undefined, limit: number) =>
  db
    .selectFrom('users')
    .selectAll()
    .$if(after !== undefined, (q) => q.where('id', '>', after!))
    .orderBy('id')
    .limit(limit)
    .execute();

export const updateUser = (db: Db, id: string, changes: Partial<UserRow>) =>
  db.updateTable('users').set(changes).where('id', '=', id).execute();

export const deleteUser = (db: Db, id: string) => db.deleteFrom('users').where('id', '=', id).execute();

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
