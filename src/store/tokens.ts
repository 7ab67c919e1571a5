// SQL for API and login tokens (only hashes are stored).
import type { Db } from './db.ts';
import type { ApiTokensTable } from './tables.ts';

export type TokenRow = ApiTokensTable;

export const insertToken = (db: Db, row: TokenRow) => db.insertInto('api_tokens').values(row).execute();

export const findTokenByHash = (db: Db, tokenHash: string) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as token_id',
      'api_tokens.scopes',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'users.id as user_id',
      'users.username',
      'users.is_admin',
      'users.disabled',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();

export const listTokensOfUser = (db: Db, userId: string) =>
  db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('id')
    .execute();

export const findTokenOfUser = (db: Db, userId: string, tokenId: string) =>
  db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).where('id', '=', tokenId).executeTakeFirst();

export const revokeToken = (db: Db, tokenId: string, at: string) =>
  db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', tokenId).execute();

export const revokeTokensOfUser = (db: Db, userId: string, at: string) =>
  db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();

export const touchToken = (db: Db, tokenId: string, at: string) =>
  db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
