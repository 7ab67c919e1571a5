// The durable work queued for a resource, readable so a user can see what the engine is doing and why.
import { Type, type Static } from '@sinclair/typebox';
import { requireTeamRole } from '../identity/access.ts';
import type { Caller } from '../domain/caller.ts';
import { listOperationsOf } from '../store/operations.ts';
import { findRow } from './resources.ts';
import type { ResourceContext } from './context.ts';

export const Operation = Type.Object({
  id: Type.String(),
  type: Type.String({ description: 'apply, action or delete' }),
  action: Type.Union([Type.String(), Type.Null()]),
  generation: Type.Integer(),
  state: Type.String({ description: 'queued, running, done, failed or cancelled' }),
  attempts: Type.Integer(),
  runAfter: Type.String(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Operation = Static<typeof Operation>;

export async function listOperations(
  ctx: ResourceContext,
  caller: Caller,
  teamRef: string,
  id: string,
): Promise<Operation[]> {
  const { team } = await requireTeamRole(ctx, caller, teamRef, 'viewer');
  const row = await findRow(ctx.store.db, team.id, id);
  return (await listOperationsOf(ctx.store.db, row.id)).map((o) => ({
    id: o.id,
    type: o.type,
    action: o.action,
    generation: o.generation,
    state: o.state,
    attempts: o.attempts,
    runAfter: o.run_after,
    lastError: o.last_error,
    createdAt: o.created_at,
    updatedAt: o.updated_at,
  }));
}
