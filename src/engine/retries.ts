// The retry budget: a failed attempt goes back to the queue with exponential backoff until the
// budget is spent; then the operation and its resource are failed with the reason.
import type { State } from '../domain/states.ts';
import { settleOperation, type OperationRow } from '../store/operations.ts';
import { findResourceById } from '../store/resources.ts';
import type { Db } from '../store/db.ts';
import type { EngineContext } from './context.ts';
import { writeStatus } from '../resources/status.ts';

export interface AttemptFailure {
  message: string;
  /** Retrying cannot help (a bad spec for this host, a state the kind does not have). */
  permanent: boolean;
  /** What the resource says once the budget is spent; the failure's message by default. */
  finalMessage?: string;
}

export const backoffMs = (ctx: EngineContext, attempts: number) =>
  Math.min(ctx.config.engine.backoffBaseMs * 2 ** Math.max(0, attempts - 1), ctx.config.engine.backoffMaxMs);

/**
 * Records a failed attempt of an operation held by `owner` (see settleOperation for
 * `leaseExpiredBefore`); false when the operation was no longer theirs.
 */
export async function recordFailedAttempt(
  ctx: EngineContext,
  db: Db,
  operation: OperationRow,
  owner: string,
  failure: AttemptFailure,
  leaseExpiredBefore?: string,
): Promise<boolean> {
  const now = new Date();
  const maxAttempts = ctx.config.engine.maxAttempts;
  const exhausted = failure.permanent || operation.attempts >= maxAttempts;
  const retryAt = new Date(now.getTime() + backoffMs(ctx, operation.attempts)).toISOString();
  const changes = exhausted
    ? { state: 'failed' as const, last_error: failure.message }
    : { state: 'queued' as const, run_after: retryAt, last_error: failure.message };
  if (!(await settleOperation(db, operation.id, owner, changes, now.toISOString(), leaseExpiredBefore))) return false;
  const row = await findResourceById(db, operation.resource_id);
  if (!row) return true;
  const message = exhausted
    ? (failure.finalMessage ?? failure.message)
    : `attempt ${operation.attempts} of ${maxAttempts} failed: ${failure.message}; retrying at ${retryAt}`;
  await writeStatus(db, ctx.kinds, row.id, {
    observation: { state: exhausted ? 'failed' : (row.state as State), message },
  });
  return true;
}
