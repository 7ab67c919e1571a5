// SSH key pairs per user: generate or import, list, get, delete; names unique per user.
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import type { Caller } from '../domain/caller.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { newId, nowIso } from '../lib/ids.ts';
import * as store from '../store/keypairs.ts';
import type { KeyPair } from './models.ts';
import { generateKeyPair, importPublicKey, type GeneratableType, type PublicKeyInfo } from './ssh-keys.ts';

const toKeyPair = (row: store.KeyPairRow): KeyPair => ({
  id: row.id,
  name: row.name,
  type: row.type,
  publicKey: row.public_key,
  fingerprint: row.fingerprint_sha256,
  fingerprintMd5: row.fingerprint_md5,
  createdAt: row.created_at,
});

export interface NewKeyPair {
  name: string;
  type?: GeneratableType;
  publicKey?: string;
}

export async function createKeyPair(
  ctx: ServiceContext,
  caller: Caller,
  input: NewKeyPair,
): Promise<KeyPair & { privateKey?: string }> {
  if (input.publicKey !== undefined && input.type !== undefined) {
    throw invalid('give either publicKey (import) or type (generate), not both', { field: 'type' });
  }
  const material: PublicKeyInfo & { privateKey?: string } =
    input.publicKey !== undefined
      ? importPublicKey(input.publicKey, input.name)
      : generateKeyPair(input.type ?? 'ed25519', input.name);
  const row: store.KeyPairRow = {
    id: newId(),
    user_id: caller.userId,
    name: input.name,
    type: material.type,
    public_key: material.publicKey,
    fingerprint_sha256: material.fingerprintSha256,
    fingerprint_md5: material.fingerprintMd5,
    created_at: nowIso(),
  };
  try {
    await commitChange(ctx, async (db) => {
      await store.insertKeyPair(db, row);
      await recordEvent(db, caller, {
        type: 'keypair.created',
        teamId: null,
        objectKind: 'keypair',
        objectId: row.id,
        data: { name: row.name, fingerprint: row.fingerprint_sha256 },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`you already have a key pair named "${input.name}"`);
    throw error;
  }
  return material.privateKey === undefined ? toKeyPair(row) : { ...toKeyPair(row), privateKey: material.privateKey };
}

export const listKeyPairs = async (ctx: ServiceContext, caller: Caller) =>
  (await store.listKeyPairs(ctx.store.db, caller.userId)).map(toKeyPair);

export async function getKeyPair(ctx: ServiceContext, caller: Caller, ref: string): Promise<KeyPair> {
  const row = await store.findKeyPair(ctx.store.db, caller.userId, ref);
  if (!row) throw notFound('key pair', ref);
  return toKeyPair(row);
}

export async function deleteKeyPair(ctx: ServiceContext, caller: Caller, ref: string): Promise<void> {
  const keyPair = await getKeyPair(ctx, caller, ref);
  await commitChange(ctx, async (db) => {
    await store.deleteKeyPair(db, keyPair.id);
    await recordEvent(db, caller, {
      type: 'keypair.deleted',
      teamId: null,
      objectKind: 'keypair',
      objectId: keyPair.id,
      data: { name: keyPair.name },
    });
  });
}
