// ConPaaS's integer ids beside our uuids: a uid per user and a sid per service, given the first time ConPaaS shows them.
import type { ServiceContext } from '../../domain/context.ts';
import { nowIso } from '../../lib/ids.ts';
import * as store from '../../store/conpaas.ts';
import type { Db } from '../../store/db.ts';
import type { UserRow } from '../../store/users.ts';

export type ConpaasProfile = store.ConpaasUserRow;

export interface ProfileFields {
  fname: string;
  lname: string;
  affiliation: string;
  uuid: string;
}

const noProfile: ProfileFields = { fname: '', lname: '', affiliation: '', uuid: '' };

/** The user's uid and ConPaaS profile; users made elsewhere (the native API) get an empty profile on first sight. */
export async function profileOf(
  ctx: ServiceContext,
  user: UserRow,
  fields: ProfileFields = noProfile,
): Promise<ConpaasProfile> {
  const db = ctx.store.db;
  const existing = await store.findConpaasUserByUserId(db, user.id);
  if (existing) return existing;
  await store.insertConpaasUserIfAbsent(db, { user_id: user.id, ...fields, team_id: null, created_at: nowIso() });
  return (await store.findConpaasUserByUserId(db, user.id))!;
}

export const profileByUuid = (ctx: ServiceContext, uuid: string) => store.findConpaasUserByUuid(ctx.store.db, uuid);

export const reloadProfile = async (ctx: ServiceContext, uid: number) =>
  (await store.findConpaasUserByUid(ctx.store.db, uid))!;

/** The sids of these services (by resource id), giving one to each service that has none yet. */
export async function sidsOf(ctx: ServiceContext, resourceIds: string[]): Promise<Map<string, number>> {
  const db = ctx.store.db;
  const known = new Map((await store.findConpaasServicesOf(db, resourceIds)).map((row) => [row.resource_id, row.sid]));
  const missing = resourceIds.filter((id) => !known.has(id));
  if (missing.length === 0) return known;
  for (const id of missing) await store.insertConpaasServiceIfAbsent(db, id, nowIso());
  for (const row of await store.findConpaasServicesOf(db, missing)) known.set(row.resource_id, row.sid);
  return known;
}

/** Reserves the sid of a service being created, in its create's transaction (`db`). */
export async function reserveSidWith(db: Db, resourceId: string): Promise<number> {
  await store.insertConpaasServiceIfAbsent(db, resourceId, nowIso());
  return (await store.findConpaasServicesOf(db, [resourceId]))[0].sid;
}

export async function sidOf(ctx: ServiceContext, resourceId: string): Promise<number> {
  return (await sidsOf(ctx, [resourceId])).get(resourceId)!;
}

/** The largest sid there can be: sids are a 32-bit serial, which PostgreSQL refuses to compare with a larger number. */
const maxSid = 2 ** 31 - 1;

/** The service of a sid; any number no sid can be (a route's digits may be any length) is unknown. */
export async function resourceIdOfSid(ctx: ServiceContext, sid: number): Promise<string | undefined> {
  if (!Number.isSafeInteger(sid) || sid < 1 || sid > maxSid) return undefined;
  return (await store.findConpaasServiceBySid(ctx.store.db, sid))?.resource_id;
}

/** A start that failed keeps nothing, its sid included (sids are never reused all the same). */
export const forgetSid = (ctx: ServiceContext, sid: number) => store.deleteConpaasService(ctx.store.db, sid);

export const claimTeam = (ctx: ServiceContext, profile: ConpaasProfile, teamId: string) =>
  store.claimConpaasTeam(ctx.store.db, profile.uid, teamId, profile.team_id);
