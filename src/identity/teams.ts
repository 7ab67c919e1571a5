// Teams (the tenant): creation by any user, who becomes its admin; updates and cascade deletion.
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { conflict } from '../domain/errors.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { newId, nowIso } from '../store/ids.ts';
import * as store from '../store/teams.ts';
import { deleteContainer, withDeletionBlockers } from '../resources/cascade.ts';
import { requireTeamRole } from './access.ts';
import { actsAsPlatformAdmin, type Caller } from '../domain/caller.ts';
import type { Team } from './models.ts';

export const toTeam = (row: store.TeamRow): Team => ({
  id: row.id,
  name: row.name,
  description: row.description,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deletionRequestedAt: row.deletion_requested_at,
});

const uniqueName = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`a team named "${name}" already exists`);
    throw error;
  }
};

export async function createTeam(ctx: ServiceContext, caller: Caller, input: { name: string; description?: string }): Promise<Team> {
  const at = nowIso();
  const row: store.TeamRow = { id: newId(), name: input.name, description: input.description ?? '', created_at: at, updated_at: at, deletion_requested_at: null, quotas: '{}' };
  await uniqueName(input.name, () =>
    commitChange(ctx, async (db) => {
      await store.insertTeam(db, row);
      await store.insertMembership(db, { team_id: row.id, user_id: caller.userId, role: 'admin', created_at: at });
      await recordEvent(db, caller, { type: 'team.created', teamId: row.id, objectKind: 'team', objectId: row.id, data: { name: row.name } });
    }),
  );
  return toTeam(row);
}

/** The team as the API shows it: while it is being deleted, with what holds that up. */
const viewOf = (ctx: ServiceContext, row: store.TeamRow) => withDeletionBlockers(ctx.store.db, toTeam(row), row.id);

export async function listTeams(ctx: ServiceContext, caller: Caller, after: string | undefined, limit: number) {
  const userId = actsAsPlatformAdmin(caller) ? undefined : caller.userId;
  return Promise.all((await store.listTeams(ctx.store.db, userId, after, limit)).map((row) => viewOf(ctx, row)));
}

export const getTeam = async (ctx: ServiceContext, caller: Caller, teamRef: string) => viewOf(ctx, (await requireTeamRole(ctx, caller, teamRef, 'viewer')).team);

export async function updateTeam(ctx: ServiceContext, caller: Caller, teamRef: string, changes: { name?: string; description?: string }) {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'admin');
  const updated = { ...team, ...changes, updated_at: nowIso() };
  await uniqueName(updated.name, () =>
    commitChange(ctx, async (db) => {
      await store.updateTeam(db, team.id, { name: updated.name, description: updated.description, updated_at: updated.updated_at });
      await recordEvent(db, caller, { type: 'team.updated', teamId: team.id, objectKind: 'team', objectId: team.id, data: changes });
    }, { changesAccess: true }),
  );
  return toTeam(updated);
}

export async function deleteTeam(ctx: ServiceContext, caller: Caller, teamRef: string): Promise<void> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'admin');
  await commitChange(ctx, (db) => deleteContainer(ctx, db, caller, team.id), { changesAccess: true });
}
