// Namespaces: named partitions inside a team (krak8s namespaces); their views and deletion, which
// concern what they hold, are in resources/containers.ts.
import { commitChange, recordEvent } from '../domain/commit.ts';
import type { ServiceContext } from '../domain/context.ts';
import { conflict } from '../domain/errors.ts';
import { isUniqueViolation } from '../store/errors.ts';
import { newId, nowIso } from '../lib/ids.ts';
import * as store from '../store/teams.ts';
import { requireTeamRole } from './access.ts';
import type { Caller } from '../domain/caller.ts';
import type { Db } from '../store/db.ts';
import type { Namespace } from './models.ts';

export const toNamespace = (row: store.NamespaceRow): Namespace => ({
  id: row.id,
  teamId: row.team_id,
  name: row.name,
  createdAt: row.created_at,
  deletionRequestedAt: row.deletion_requested_at,
});

/**
 * A dialect's own rows around the namespace's one write, in its transaction (as createResource's CreateHooks):
 * throwing rolls the whole create back, so a crash never leaves the namespace without them, or them without it.
 */
export interface NamespaceHooks {
  /** Before the row is written; may set its name (ConPaaS names an application's namespace by the aid it reserves here). */
  prepareForCreate?: (db: Db, row: store.NamespaceRow) => Promise<void>;
}

export async function createNamespace(
  ctx: ServiceContext,
  caller: Caller,
  teamRef: string,
  name: string,
  hooks: NamespaceHooks = {},
): Promise<Namespace> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'member');
  const row: store.NamespaceRow = {
    id: newId(),
    team_id: team.id,
    name,
    created_at: nowIso(),
    deletion_requested_at: null,
  };
  try {
    await commitChange(ctx, async (db) => {
      await hooks.prepareForCreate?.(db, row);
      await store.insertNamespace(db, row);
      await recordEvent(db, caller, {
        type: 'namespace.created',
        teamId: team.id,
        objectKind: 'namespace',
        objectId: row.id,
        data: { name: row.name },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict(`namespace "${row.name}" already exists in team ${team.name}`);
    throw error;
  }
  return toNamespace(row);
}
