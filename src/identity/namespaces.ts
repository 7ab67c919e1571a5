// Namespaces: named partitions inside a team (krak8s namespaces); deleting one deletes what it holds.
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { conflict, notFound } from '../domain/errors.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { newId, nowIso } from '../store/ids.ts';
import * as store from '../store/teams.ts';
import { requireTeamRole } from './access.ts';
import type { Caller } from '../domain/caller.ts';
import type { Namespace } from './models.ts';
import { deleteContainer, withDeletionBlockers } from '../resources/cascade.ts';

const toNamespace = (row: store.NamespaceRow): Namespace => ({
  id: row.id,
  teamId: row.team_id,
  name: row.name,
  createdAt: row.created_at,
  deletionRequestedAt: row.deletion_requested_at,
});

/** The namespace as the API shows it: while it is being deleted, with what holds that up. */
const viewOf = (ctx: ServiceContext, row: store.NamespaceRow) => withDeletionBlockers(ctx.store.db, toNamespace(row), row.team_id, row.id);

export async function createNamespace(ctx: ServiceContext, caller: Caller, teamRef: string, name: string): Promise<Namespace> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'member');
  const row: store.NamespaceRow = { id: newId(), team_id: team.id, name, created_at: nowIso(), deletion_requested_at: null };
  try {
    await commitChange(ctx, async (db) => {
      await store.insertNamespace(db, row);
      await recordEvent(db, caller, { type: 'namespace.created', teamId: team.id, objectKind: 'namespace', objectId: row.id, data: { name } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`namespace "${name}" already exists in team ${team.name}`);
    throw error;
  }
  return toNamespace(row);
}

export async function listNamespaces(ctx: ServiceContext, caller: Caller, teamRef: string): Promise<Namespace[]> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  return Promise.all((await store.listNamespaces(ctx.store.db, team.id)).map((row) => viewOf(ctx, row)));
}

export async function getNamespace(ctx: ServiceContext, caller: Caller, teamRef: string, namespaceRef: string): Promise<Namespace> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  const row = await store.findNamespace(ctx.store.db, team.id, namespaceRef);
  if (!row) throw notFound('namespace', namespaceRef);
  return viewOf(ctx, row);
}

export async function deleteNamespace(ctx: ServiceContext, caller: Caller, teamRef: string, namespaceRef: string): Promise<void> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'member');
  await commitChange(ctx, async (db) => {
    const row = await store.findNamespace(db, team.id, namespaceRef);
    if (!row) throw notFound('namespace', namespaceRef);
    await deleteContainer(ctx, db, caller, team.id, row.id);
  });
}
