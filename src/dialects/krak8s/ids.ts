// krak8s's 8-lowercase-hex object ids, kept beside our uuids in the krak8s_ids table. Objects made
// elsewhere (the native API) get theirs the first time krak8s shows them.
import { randomBytes } from 'node:crypto';
import type { ServiceContext } from '../../domain/context.ts';
import { isUniqueViolation } from '../../store/errors.ts';
import { nowIso } from '../../lib/ids.ts';
import * as store from '../../store/krak8s.ts';
import type { Db } from '../../store/db.ts';
import { BareStatus } from './errors.ts';

export type Krak8sType = 'project' | 'namespace' | 'cluster' | 'application';

export interface Krak8sId {
  oid: string;
  objectId: string;
  type: Krak8sType;
  teamId: string;
  /** The krak8s name when the core object carries another one. */
  name: string | null;
  extra: Record<string, string>;
  hidden: boolean;
}

export const isOid = (value: string): boolean => /^[0-9a-f]{8}$/.test(value);

const toKrak8sId = (row: store.Krak8sIdRow): Krak8sId => ({
  oid: row.oid,
  objectId: row.object_id,
  type: row.object_type as Krak8sType,
  teamId: row.team_id,
  name: row.name,
  extra: JSON.parse(row.extra),
  hidden: row.hidden_at !== null,
});

/** As the original: up to 9 tries for an id no object has; then the create is a 500. */
const maxTries = 9;

export async function freeOid(ctx: ServiceContext): Promise<string> {
  for (let attempt = 0; attempt < maxTries; attempt++) {
    const oid = randomBytes(4).toString('hex');
    if (!(await store.findKrak8sId(ctx.store.db, oid))) return oid;
  }
  throw new BareStatus(500);
}

export interface NewKrak8sId {
  type: Krak8sType;
  objectId: string;
  teamId: string;
  name?: string | null;
  extra?: Record<string, string>;
}

/** Records `oid` for an object made in this transaction (`db`): a taken oid fails the whole create. */
export const recordOidWith = (db: Db, oid: string, object: NewKrak8sId): Promise<void> =>
  store.insertKrak8sId(db, rowOf(oid, object)).then(() => {});

const rowOf = (oid: string, object: NewKrak8sId): store.Krak8sIdRow => ({
  oid,
  object_id: object.objectId,
  object_type: object.type,
  team_id: object.teamId,
  name: object.name ?? null,
  extra: JSON.stringify(object.extra ?? {}),
  hidden_at: null,
  created_at: nowIso(),
});

/** Records `oid` for an object, or another free one if `oid` was taken meanwhile; returns the id recorded. */
export async function recordOid(ctx: ServiceContext, oid: string, object: NewKrak8sId): Promise<string> {
  let candidate = oid;
  for (let attempt = 0; attempt < maxTries; attempt++) {
    try {
      await store.insertKrak8sId(ctx.store.db, rowOf(candidate, object));
      return candidate;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const [existing] = await store.findKrak8sIdsOf(ctx.store.db, [object.objectId]);
      if (existing) return existing.oid;
      candidate = await freeOid(ctx);
    }
  }
  throw new BareStatus(500);
}

export async function findOid(ctx: ServiceContext, oid: string): Promise<Krak8sId | undefined> {
  const row = isOid(oid) ? await store.findKrak8sId(ctx.store.db, oid) : undefined;
  return row && toKrak8sId(row);
}

/** The krak8s ids of these objects (by uuid), giving one to each object that has none yet. */
export async function idsOf(
  ctx: ServiceContext,
  type: Krak8sType,
  objects: { id: string; teamId: string }[],
): Promise<Map<string, Krak8sId>> {
  const known = new Map(
    (
      await store.findKrak8sIdsOf(
        ctx.store.db,
        objects.map((o) => o.id),
      )
    ).map((row) => [row.object_id, toKrak8sId(row)]),
  );
  for (const object of objects) {
    if (known.has(object.id)) continue;
    const oid = await recordOid(ctx, await freeOid(ctx), { type, objectId: object.id, teamId: object.teamId });
    const [row] = await store.findKrak8sIdsOf(ctx.store.db, [object.id]);
    known.set(
      object.id,
      row
        ? toKrak8sId(row)
        : { oid, objectId: object.id, type, teamId: object.teamId, name: null, extra: {}, hidden: false },
    );
  }
  return known;
}

export const hideOid = (ctx: ServiceContext, oid: string) => store.hideKrak8sObject(ctx.store.db, oid, nowIso());
