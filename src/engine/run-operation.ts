// Carries out one claimed operation through the resource's driver and records the outcome.
import type { ServiceContext } from '../domain/context.ts';
import { PermanentDriverError, type KindDriver, type Observation } from '../drivers/driver.ts';
import type { DriverRegistry } from '../drivers/registry.ts';
import type { KindRegistry } from '../resources/kinds/registry.ts';
import { finishEmptiedContainers } from '../resources/cascade.ts';
import type { Action } from '../resources/states.ts';
import { nowIso } from '../store/ids.ts';
import { settleOperation, type OperationRow } from '../store/operations.ts';
import { listChildren, type ResourceRow } from '../store/resources.ts';
import { toDriverResource } from './driver-resource.ts';
import { writeStatus } from './status.ts';

export interface EngineContext extends ServiceContext {
  kinds: KindRegistry;
  drivers: DriverRegistry;
}

/** Not a failure: a parent waits for its children; checked again after this delay. */
const blockedRecheckMs = 1000;

type Outcome = { kind: 'observed'; observation: Observation } | { kind: 'blocked'; reason: string; since: string } | { kind: 'nothing' };

async function perform(ctx: EngineContext, operation: OperationRow, row: ResourceRow, driver: KindDriver): Promise<Outcome> {
  const resource = toDriverResource(row);
  if (operation.type === 'apply') {
    if (operation.generation < row.generation || row.state === 'deleting' || row.state === 'deleted') return { kind: 'nothing' };
    return { kind: 'observed', observation: await driver.apply(resource) };
  }
  if (operation.type === 'action') {
    if (row.state === 'deleting' || row.state === 'deleted') return { kind: 'nothing' };
    return { kind: 'observed', observation: await driver.act(resource, operation.action as Action) };
  }
  const children = await listChildren(ctx.store.db, row.id);
  if (children.length > 0) {
    const names = children.map((child) => `${child.kind} ${child.name} (${child.state})`).join(', ');
    return { kind: 'blocked', reason: `waiting for its children to be deleted: ${names}`, since: row.deletion_requested_at ?? nowIso() };
  }
  await driver.remove(resource);
  return { kind: 'observed', observation: { state: 'deleted', message: 'deleted' } };
}

const backoffMs = (ctx: EngineContext, attempts: number) =>
  Math.min(ctx.config.engine.backoffBaseMs * 2 ** Math.max(0, attempts - 1), ctx.config.engine.backoffMaxMs);

export async function runOperation(ctx: EngineContext, operation: OperationRow, owner: string): Promise<void> {
  const row = await ctx.store.db.selectFrom('resources').selectAll().where('id', '=', operation.resource_id).executeTakeFirst();
  const driver = row ? ctx.drivers.kindDriver(row.driver, row.kind) : undefined;
  let outcome: Outcome;
  let failure: { message: string; permanent: boolean } | undefined;
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
  await ctx.store.db.transaction().execute(async (db) => {
    const now = new Date();
    if (failure) {
      const exhausted = failure.permanent || operation.attempts >= ctx.config.engine.maxAttempts;
      const retryAt = new Date(now.getTime() + backoffMs(ctx, operation.attempts)).toISOString();
      const settled = exhausted
        ? await settleOperation(db, operation.id, owner, { state: 'failed', last_error: failure.message }, now.toISOString())
        : await settleOperation(db, operation.id, owner, { state: 'queued', run_after: retryAt, last_error: failure.message }, now.toISOString());
      if (!settled || !row) return;
      const message = exhausted
        ? failure.message
        : `attempt ${operation.attempts} of ${ctx.config.engine.maxAttempts} failed: ${failure.message}; retrying at ${retryAt}`;
      await writeStatus(db, ctx.kinds, row.id, { observation: { state: exhausted ? 'failed' : (row.state as Observation['state']), message } });
      return;
    }
    if (outcome.kind === 'blocked') {
      const retryAt = new Date(now.getTime() + blockedRecheckMs).toISOString();
      // Waiting is not an attempt: the retry budget is for failures.
      const settled = await settleOperation(db, operation.id, owner, { state: 'queued', run_after: retryAt, attempts: operation.attempts - 1 }, now.toISOString());
      if (settled) await writeStatus(db, ctx.kinds, row!.id, { observation: { state: 'deleting', message: `${outcome.reason} (since ${outcome.since})`, details: { deletionBlockedSince: outcome.since } } });
      return;
    }
    if (!(await settleOperation(db, operation.id, owner, { state: 'done', last_error: null }, now.toISOString()))) return;
    if (outcome.kind === 'observed') {
      await writeStatus(db, ctx.kinds, row!.id, { observation: outcome.observation, generation: operation.generation, basedOnState: row!.state });
      if (outcome.observation.state === 'deleted' && (await finishEmptiedContainers(db, null, row!.team_id, row!.namespace_id))) ctx.access.clear();
    }
  });
  ctx.feed.poke();
}
