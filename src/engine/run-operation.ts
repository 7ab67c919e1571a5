// Carries out one claimed operation through the resource's driver and records the outcome.
import { PermanentDriverError, type KindDriver, type Observation } from '../drivers/driver.ts';
import { finishEmptiedContainers } from '../resources/cascade.ts';
import type { Action } from '../domain/states.ts';
import { nowIso } from '../lib/ids.ts';
import { settleOperation, type OperationRow } from '../store/operations.ts';
import { findResourceById, listChildren, type ResourceRow } from '../store/resources.ts';
import type { Db } from '../store/db.ts';
import type { EngineContext } from './context.ts';
import { toDriverResource } from './driver-resource.ts';
import { recordFailedAttempt, type AttemptFailure } from './retries.ts';
import { DisallowedState, writeStatus } from '../resources/status.ts';

/** Not a failure: a parent waits for its children; checked again after this delay. */
const blockedRecheckMs = 1000;

type Outcome =
  | { kind: 'observed'; observation: Observation }
  | { kind: 'blocked'; reason: string; since: string }
  | { kind: 'nothing' };

/** A failed child says why: its deletion failed, and the parent waits until a new DELETE retries it. */
const describeState = (row: ResourceRow) =>
  row.state === 'failed' ? `failed: ${JSON.parse(row.status).message}` : row.state;

async function perform(
  ctx: EngineContext,
  operation: OperationRow,
  row: ResourceRow,
  driver: KindDriver,
): Promise<Outcome> {
  const resource = toDriverResource(row);
  if (operation.type === 'apply') {
    if (operation.generation < row.generation || row.state === 'deleting' || row.state === 'deleted')
      return { kind: 'nothing' };
    return { kind: 'observed', observation: await driver.apply(resource) };
  }
  if (operation.type === 'action') {
    if (row.state === 'deleting' || row.state === 'deleted') return { kind: 'nothing' };
    return { kind: 'observed', observation: await driver.act(resource, operation.action as Action) };
  }
  const children = await listChildren(ctx.store.db, row.id);
  if (children.length > 0) {
    const names = children.map((child) => `${child.kind} ${child.name} (${describeState(child)})`).join(', ');
    return {
      kind: 'blocked',
      reason: `waiting for its children to be deleted: ${names}`,
      since: row.deletion_requested_at ?? nowIso(),
    };
  }
  await driver.remove(resource);
  return { kind: 'observed', observation: { state: 'deleted', message: 'deleted' } };
}

export async function runOperation(ctx: EngineContext, operation: OperationRow, owner: string): Promise<void> {
  const row = await findResourceById(ctx.store.db, operation.resource_id);
  const driver = row ? ctx.drivers.kindDriver(row.driver, row.kind) : undefined;
  let outcome: Outcome;
  let failure: AttemptFailure | undefined;
  if (!row) outcome = { kind: 'nothing' };
  else if (typeof driver === 'string') [outcome, failure] = [{ kind: 'nothing' }, { message: driver, permanent: true }];
  else {
    try {
      outcome = await perform(ctx, operation, row, driver!);
    } catch (error) {
      outcome = { kind: 'nothing' };
      failure = { message: (error as Error).message, permanent: error instanceof PermanentDriverError };
    }
  }
  try {
    await ctx.store.transaction((db) => recordOutcome(ctx, db, operation, owner, row, outcome, failure));
  } catch (error) {
    // An outcome that cannot be written fails the attempt; else the expired lease would run it again and again.
    const unwritable = {
      message: `its outcome could not be recorded: ${(error as Error).message}`,
      permanent: error instanceof DisallowedState,
    };
    await ctx.store.transaction((db) => recordFailedAttempt(ctx, db, operation, owner, unwritable));
  }
  ctx.feed.poke();
}

async function recordOutcome(
  ctx: EngineContext,
  db: Db,
  operation: OperationRow,
  owner: string,
  row: ResourceRow | undefined,
  outcome: Outcome,
  failure?: AttemptFailure,
) {
  if (failure) {
    await recordFailedAttempt(ctx, db, operation, owner, failure);
    return;
  }
  const now = new Date();
  if (outcome.kind === 'blocked') {
    const retryAt = new Date(now.getTime() + blockedRecheckMs).toISOString();
    // Waiting is not an attempt: the retry budget is for failures.
    const settled = await settleOperation(
      db,
      operation.id,
      owner,
      { state: 'queued', run_after: retryAt, attempts: operation.attempts - 1 },
      now.toISOString(),
    );
    if (settled)
      await writeStatus(db, ctx.kinds, row!.id, {
        observation: {
          state: 'deleting',
          message: `${outcome.reason} (since ${outcome.since})`,
          details: { deletionBlockedSince: outcome.since },
        },
      });
    return;
  }
  if (!(await settleOperation(db, operation.id, owner, { state: 'done', last_error: null }, now.toISOString()))) return;
  if (outcome.kind === 'observed') {
    await writeStatus(db, ctx.kinds, row!.id, {
      observation: outcome.observation,
      generation: operation.generation,
      basedOnState: row!.state,
    });
    if (
      outcome.observation.state === 'deleted' &&
      (await finishEmptiedContainers(db, null, row!.team_id, row!.namespace_id))
    )
      ctx.access.clear();
  }
}
