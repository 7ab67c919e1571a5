// Teams (the tenant): creation by any user, who becomes its admin, and updates; their views and
// deletion, which concern what they hold, are in resources/containers.ts.
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { conflict } from '../domain/errors.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { newId, nowIso } from '../lib/ids.ts';
import * as store from '../store/teams.ts';
import { requireTeamRole } from './access.ts';
import type { Caller } from '../domain/caller.ts';
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

export async function createTeam(
  ctx: ServiceContext,
  caller: Caller,
  input: { name: string; description?: string },
): Promise<Team> {
  const at = nowIso();
  const row: store.TeamRow = {
    id: newId(),
    name: input.name,
    description: input.description ?? '',
    created_at: at,
    updated_at: at,
    deletion_requested_at: null,
    quotas: '{}',
  };
  await uniqueName(input.name, () =>
    commitChange(ctx, async (db) => {
      await store.insertTeam(db, row);
      await store.insertMembership(db, { team_id: row.id, user_id: caller.userId, role: 'admin', created_at: at });
      await recordEvent(db, caller, {
        type: 'team.created',
        teamId: row.id,
        objectKind: 'team',
        objectId: row.id,
        data: { name: row.name },
      });
    }),
  );
  return toTeam(row);
}

export async function updateTeam(
  ctx: ServiceContext,
  caller: Caller,
  teamRef: string,
  changes: { name?: string; description?: string },
) {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'admin');
  const updated = { ...team, ...changes, updated_at: nowIso() };
  await uniqueName(updated.name, () =>
    commitChange(
      ctx,
      async (db) => {
        await store.updateTeam(db, team.id, {
          name: updated.name,
          description: updated.description,
          updated_at: updated.updated_at,
        });
        await recordEvent(db, caller, {
          type: 'team.updated',
          teamId: team.id,
          objectKind: 'team',
          objectId: team.id,
          data: changes,
        });
      },
      { changesAccess: true },
    ),
  );
  return toTeam(updated);
}
