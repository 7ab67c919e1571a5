// ConPaaS applications (the director of master): each a namespace of the user's personal team, with an integer aid,
// a free-text name and a status in a table of the dialect's own, written in the namespace's own transaction.
import { getAccount } from '../../billing/accounts.ts';
import { DomainError } from '../../domain/errors.ts';
import { createNamespace } from '../../identity/namespaces.ts';
import { deleteNamespace } from '../../resources/containers.ts';
import type { ResourceContext } from '../../resources/context.ts';
import { deleteResource } from '../../resources/deletion.ts';
import * as store from '../../store/conpaas.ts';
import { isUniqueViolation } from '../../store/errors.ts';
import { nowIso } from '../../lib/ids.ts';
import type { ConpaasCaller } from './auth.ts';
import { appFailure } from './errors.ts';
import { liveServices } from './services.ts';
import { personalTeam } from './team.ts';

export type Application = store.ConpaasAppRow;

/** The director's Application states cloudplane gives: made, started, stopped (its services deleted). */
export const applicationStatus = { made: 'INIT', started: 'RUNNING', stopped: 'STOPPED' } as const;

/** The name the director gave the application it made with each user. */
export const defaultApplicationName = 'New Application';

const nameTaken = (name: string) => appFailure(`Application name "${name}" is already taken`);
export const applicationNotFound = () => appFailure('Application not found');

/** aids are a 32-bit serial: a number beyond is no application (PostgreSQL refuses to compare it). */
const maxAid = 2 ** 31 - 1;

/** The caller's application with this aid; another user's, or one whose namespace is gone, is unknown. */
export async function findApplication(
  ctx: ResourceContext,
  who: ConpaasCaller,
  aid: number | undefined,
): Promise<Application | undefined> {
  if (aid === undefined || !Number.isSafeInteger(aid) || aid < 1 || aid > maxAid) return undefined;
  return store.findLiveConpaasApp(ctx.store.db, who.profile.uid, aid);
}

/** The default application was made meanwhile (a racing first call), or its name is already used: none to make. */
class NoDefaultToMake extends Error {}

/**
 * The aid row and its namespace `conpaas-app-<aid>` in one transaction: a crash keeps neither. The name check runs in
 * that transaction too, after forgetting applications whose namespace was deleted on the native API.
 */
async function newApplication(
  ctx: ResourceContext,
  who: ConpaasCaller,
  name: string,
  asDefault = false,
): Promise<Application | undefined> {
  const uid = who.profile.uid;
  const teamId = await personalTeam(ctx, who);
  let aid = 0;
  try {
    await createNamespace(ctx, who.caller, teamId, 'conpaas-app', {
      async prepareForCreate(db, row) {
        if (asDefault && !(await store.claimDefaultConpaasApp(db, uid, row.created_at))) throw new NoDefaultToMake();
        await store.deleteGoneConpaasApps(db, uid);
        if (await store.isConpaasAppNameTaken(db, uid, name)) throw asDefault ? new NoDefaultToMake() : nameTaken(name);
        aid = await store.insertConpaasApp(db, {
          uid,
          name,
          namespace_id: row.id,
          status: applicationStatus.made,
          created_at: row.created_at,
        });
        row.name = `conpaas-app-${aid}`;
      },
    });
  } catch (error) {
    if (error instanceof NoDefaultToMake) return undefined;
    // Two creates of one name racing on PostgreSQL: the unique index refused the second.
    if (error instanceof DomainError && error.code === 'conflict' && !asDefault) {
      if (await store.isConpaasAppNameTaken(ctx.store.db, uid, name)) throw nameTaken(name);
    }
    throw error;
  }
  return store.findLiveConpaasApp(ctx.store.db, uid, aid);
}

/** The director made an application with each user; cloudplane makes it on the user's first call that lists them. */
async function makeDefaultApplication(ctx: ResourceContext, who: ConpaasCaller): Promise<void> {
  if (who.profile.default_app_at) return;
  const made = await newApplication(ctx, who, defaultApplicationName, true);
  // Its name was taken by one the user made: that one stands in for it, and none is made later.
  if (!made) await store.claimDefaultConpaasApp(ctx.store.db, who.profile.uid, nowIso());
}

export async function createApplication(ctx: ResourceContext, who: ConpaasCaller, name: string | undefined) {
  if (!name) throw appFailure('"name" is a required argument');
  await makeDefaultApplication(ctx, who);
  return (await newApplication(ctx, who, name))!;
}

export async function listApplications(ctx: ResourceContext, who: ConpaasCaller): Promise<Application[]> {
  await makeDefaultApplication(ctx, who);
  return store.listLiveConpaasApps(ctx.store.db, who.profile.uid);
}

/** The director's get_default_app: the user's first application. */
export async function defaultApplication(ctx: ResourceContext, who: ConpaasCaller): Promise<Application | undefined> {
  return (await listApplications(ctx, who))[0];
}

export async function renameApplication(ctx: ResourceContext, who: ConpaasCaller, aid: number, name?: string) {
  if (!name) throw appFailure('"name" is a required argument');
  const app = await findApplication(ctx, who, aid);
  if (!app) throw applicationNotFound();
  await store.deleteGoneConpaasApps(ctx.store.db, who.profile.uid);
  if (await store.isConpaasAppNameTaken(ctx.store.db, who.profile.uid, name)) throw nameTaken(name);
  try {
    await store.updateConpaasApp(ctx.store.db, app.aid, { name });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(name);
    throw error;
  }
}

/**
 * There is no application manager to start: cloudplane runs each service itself. Starting keeps the director's
 * checks and makes the application take services (/add), as a started manager did.
 */
export async function startApplication(ctx: ResourceContext, who: ConpaasCaller, aid: number, cloud: string) {
  const app = await findApplication(ctx, who, aid);
  if (!app) throw applicationNotFound();
  if (app.status !== applicationStatus.made && app.status !== applicationStatus.stopped)
    throw appFailure('Application already started');
  if ((await getAccount(ctx, who.caller, 'me')).balance <= 0) throw appFailure('Insufficient credits');
  if (cloud !== 'default')
    throw appFailure(`Error upon application starting: unknown cloud "${cloud}" (this director has only "default")`);
  await store.updateConpaasApp(ctx.store.db, app.aid, { status: applicationStatus.started });
}

/** As the director's stopapp: every service of the application is deleted (through the engine); the application stays. */
export async function stopApplication(ctx: ResourceContext, who: ConpaasCaller, aid: number) {
  const app = await findApplication(ctx, who, aid);
  if (!app) throw applicationNotFound();
  for (const { resource } of await liveServices(ctx, who, app.team_id, app.namespace_id))
    await deleteResource(ctx, who.caller, app.team_id, resource.metadata.id);
  await store.updateConpaasApp(ctx.store.db, app.aid, { status: applicationStatus.stopped });
}

/** Deleting the namespace deletes its services through the engine; the aid goes in the same transaction. */
export async function deleteApplication(ctx: ResourceContext, who: ConpaasCaller, aid: number) {
  const app = await findApplication(ctx, who, aid);
  if (!app) throw applicationNotFound();
  await deleteNamespace(ctx, who.caller, app.team_id, app.namespace_id, {
    async beforeDelete(db) {
      await store.deleteConpaasApp(db, app.aid);
    },
  });
}
