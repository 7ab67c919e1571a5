// Work whose worker died (its lease expired) counts as a failed attempt: retried with backoff
// within the retry budget like a driver failure, then failed, so a crash loop cannot spin for ever.
import { listExpiredLeases } from '../store/operations.ts';
import { recordFailedAttempt } from './retries.ts';
import type { EngineContext } from './context.ts';

const batchSize = 100;

/** Puts operations with an expired lease back in the queue (or fails them); returns how many it took over. */
export async function reclaimExpiredLeases(ctx: EngineContext): Promise<number> {
  const now = new Date().toISOString();
  let reclaimed = 0;
  for (const operation of await listExpiredLeases(ctx.store.db, now, batchSize)) {
    const failure = {
      message: `its worker stopped renewing the lease (it crashed or stalled) before the ${operation.type} finished`,
      permanent: false,
      finalMessage: `the worker lease expired repeatedly: ${operation.attempts} attempts at this ${operation.type} ended with the worker gone (crashed or stalled)`,
    };
    // Another worker may take it over first: the expired lease is the fence.
    const took = await ctx.store.transaction((db) =>
      recordFailedAttempt(ctx, db, operation, operation.lease_owner!, failure, now),
    );
    if (took) reclaimed++;
  }
  if (reclaimed > 0) ctx.feed.poke();
  return reclaimed;
}
