// Login, bearer-token authentication and API tokens (random, hashed, scoped, expiring, revocable).
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { invalid, notFound, unauthorized } from '../domain/errors.ts';
import { newId, nowIso } from '../lib/ids.ts';
import * as store from '../store/tokens.ts';
import { findUserByUsername } from '../store/users.ts';
import type { CachedToken } from '../domain/access-cache.ts';
import type { Caller, Scope } from '../domain/caller.ts';
import type { Token, TokenWithSecret } from './models.ts';
import { unknownUserHash, verifyPassword } from './passwords.ts';
import { generateTokenSecret, hashTokenSecret } from './token-secrets.ts';

/** last_used_at is written at most this often per token, so reads stay reads. */
const lastUsedResolutionMs = 60_000;

const toToken = (row: store.TokenRow): Token => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  scopes: JSON.parse(row.scopes),
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
  createdAt: row.created_at,
});

const allScopesOf = (isAdmin: boolean): Scope[] =>
  isAdmin ? ['read', 'write', 'agent', 'admin'] : ['read', 'write', 'agent'];

async function issueToken(
  ctx: ServiceContext,
  actor: Caller | null,
  userId: string,
  fields: { name: string; kind: 'login' | 'api'; scopes: Scope[]; ttlSeconds: number | null },
): Promise<TokenWithSecret> {
  const secret = generateTokenSecret();
  const now = Date.now();
  const row: store.TokenRow = {
    id: newId(),
    user_id: userId,
    name: fields.name,
    kind: fields.kind,
    token_hash: hashTokenSecret(secret),
    scopes: JSON.stringify(fields.scopes),
    expires_at: fields.ttlSeconds === null ? null : new Date(now + fields.ttlSeconds * 1000).toISOString(),
    last_used_at: null,
    revoked_at: null,
    created_at: new Date(now).toISOString(),
  };
  await commitChange(ctx, async (db) => {
    await store.insertToken(db, row);
    await recordEvent(db, actor, {
      type: 'token.created',
      teamId: null,
      objectKind: 'token',
      objectId: row.id,
      data: { userId, kind: fields.kind, name: fields.name },
    });
  });
  return { ...toToken(row), token: secret };
}

/** Exchanges a username and password for a login token; one message for every failure. */
export async function login(ctx: ServiceContext, username: string, password: string) {
  const user = await findUserByUsername(ctx.store.db, username);
  const ok = await verifyPassword(password, user?.password_hash ?? (await unknownUserHash));
  if (!user || !user.password_hash || !ok || user.disabled === 1) throw unauthorized('invalid username or password');
  const caller: Caller = {
    userId: user.id,
    username: user.username,
    isAdmin: user.is_admin === 1,
    scopes: [],
    tokenId: '',
  };
  const token = await issueToken(ctx, caller, user.id, {
    name: 'login',
    kind: 'login',
    scopes: allScopesOf(caller.isAdmin),
    ttlSeconds: ctx.config.auth.loginTokenTtlSeconds,
  });
  return { token, userId: user.id };
}

export async function authenticate(ctx: ServiceContext, secret: string): Promise<Caller> {
  const hash = hashTokenSecret(secret);
  const now = Date.now();
  const known = ctx.access.token(hash) ?? (await loadToken(ctx, hash));
  if (known.expiresAt !== null && Date.parse(known.expiresAt) <= now) throw unauthorized('token expired');
  if (now - known.lastUsedAt > lastUsedResolutionMs) {
    known.lastUsedAt = now;
    await store.touchToken(ctx.store.db, known.caller.tokenId, new Date(now).toISOString());
  }
  return known.caller;
}

async function loadToken(ctx: ServiceContext, hash: string): Promise<CachedToken> {
  const row = await store.findTokenByHash(ctx.store.db, hash);
  if (!row || row.revoked_at !== null || row.disabled === 1) throw unauthorized('invalid or revoked token');
  const isAdmin = row.is_admin === 1;
  const granted = (JSON.parse(row.scopes) as Scope[]).filter((s) => s !== 'admin' || isAdmin);
  const token: CachedToken = {
    caller: { userId: row.user_id, username: row.username, isAdmin, scopes: granted, tokenId: row.token_id },
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at === null ? 0 : Date.parse(row.last_used_at),
  };
  ctx.access.rememberToken(hash, token);
  return token;
}

export async function createApiToken(
  ctx: ServiceContext,
  caller: Caller,
  input: { name: string; scopes?: Scope[]; expiresInSeconds?: number | null },
): Promise<TokenWithSecret> {
  const requested = input.scopes ?? caller.scopes.filter((s) => s !== 'admin');
  const beyond = requested.filter((s) => !caller.scopes.includes(s));
  if (beyond.length > 0)
    throw invalid(`a token cannot carry scopes its creator lacks: ${beyond.join(', ')}`, { field: 'scopes' });
  const max = ctx.config.auth.maxTokenTtlSeconds;
  const ttl = input.expiresInSeconds === undefined ? max : input.expiresInSeconds;
  if (ttl === null || ttl > max)
    throw invalid(`expiresInSeconds must be at most ${max}`, { field: 'expiresInSeconds' });
  return issueToken(ctx, caller, caller.userId, {
    name: input.name,
    kind: 'api',
    scopes: [...new Set(requested)],
    ttlSeconds: ttl,
  });
}

export const listTokens = async (ctx: ServiceContext, caller: Caller) =>
  (await store.listTokensOfUser(ctx.store.db, caller.userId)).map(toToken);

export async function revokeToken(ctx: ServiceContext, caller: Caller, tokenId: string): Promise<void> {
  const row = await store.findTokenOfUser(ctx.store.db, caller.userId, tokenId);
  if (!row || row.revoked_at !== null) throw notFound('token', tokenId);
  await commitChange(
    ctx,
    async (db) => {
      await store.revokeToken(db, tokenId, nowIso());
      await recordEvent(db, caller, { type: 'token.revoked', teamId: null, objectKind: 'token', objectId: tokenId });
    },
    { changesAccess: true },
  );
}
