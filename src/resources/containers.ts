// Teams and namespaces as holders of resources: their views say what blocks their deletion, and
// deleting one deletes what it holds, through the engine.
import { commitChange } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { actsAsPlatformAdmin, type Caller } from '../domain/caller.ts';
import { notFound } from '../domain/errors.ts';
import { requireTeamRole } from '../identity/access.ts';
import type { Namespace, Team } from '../identity/models.ts';
import { toNamespace } from '../identity/namespaces.ts';
import { toTeam } from '../identity/teams.ts';
import * as store from '../store/teams.ts';
import type { Db } from '../store/db.ts';
import { deleteContainer, withDeletionBlockers } from './cascade.ts';
import { retryLostRaces } from './races.ts';

const teamView = (ctx: ServiceContext, row: store.TeamRow) => withDeletionBlockers(ctx.store.db, toTeam(row), row.id);

const namespaceView = (ctx: ServiceContext, row: store.NamespaceRow) =>
  withDeletionBlockers(ctx.store.db, toNamespace(row), row.team_id, row.id);

export async function listTeams(
  ctx: ServiceContext,
  caller: Caller,
  after: string | undefined,
  limit: number,
): Promise<Team[]> {
  const userId = actsAsPlatformAdmin(caller) ? undefined : caller.userId;
  return Promise.all((await store.listTeams(ctx.store.db, userId, after, limit)).map((row) => teamView(ctx, row)));
}

export const getTeam = async (ctx: ServiceContext, caller: Caller, teamRef: string): Promise<Team> =>
  teamView(ctx, (await requireTeamRole(ctx, caller, teamRef, 'viewer')).team);

export async function deleteTeam(ctx: ServiceContext, caller: Caller, teamRef: string): Promise<void> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'admin');
  // The engine may be writing a status of one of its resources meanwhile: the deletion still holds, so retry.
  await retryLostRaces(undefined, () =>
    commitChange(ctx, (db) => deleteContainer(ctx, db, caller, team.id), { changesAccess: true }),
  );
}

export async function listNamespaces(ctx: ServiceContext, caller: Caller, teamRef: string): Promise<Namespace[]> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  return Promise.all((await store.listNamespaces(ctx.store.db, team.id)).map((row) => namespaceView(ctx, row)));
}

export async function getNamespace(
  ctx: ServiceContext,
  caller: Caller,
  teamRef: string,
  namespaceRef: string,
): Promise<Namespace> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  const row = await store.findNamespace(ctx.store.db, team.id, namespaceRef);
  if (!row) throw notFound('namespace', namespaceRef);
  return namespaceView(ctx, row);
}

/** A dialect's own rows of a namespace, removed in its deletion's transaction (ConPaaS: the application's aid). */
export interface NamespaceDeletionHooks {
  beforeDelete?: (db: Db, row: store.NamespaceRow) => Promise<void>;
}

export async function deleteNamespace(
  ctx: ServiceContext,
  caller: Caller,
  teamRef: string,
  namespaceRef: string,
  hooks: NamespaceDeletionHooks = {},
): Promise<void> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'member');
  await retryLostRaces(undefined, () =>
    commitChange(ctx, async (db) => {
      const row = await store.findNamespace(db, team.id, namespaceRef);
      if (!row) throw notFound('namespace', namespaceRef);
      await hooks.beforeDelete?.(db, row);
      await deleteContainer(ctx, db, caller, team.id, row.id);
    }),
  );
}
