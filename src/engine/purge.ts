// Deleted resources stay readable for a while (?includeDeleted=true), then go for good: the row,
// its labels and its operations. The engine's periodic sweep calls this.
import { listPurgeableResources, removeResources } from '../store/resources.ts';
import type { EngineContext } from './context.ts';

const batchSize = 500;
const defaultRetentionSeconds = 7 * 86400;

/** engine.purgeDeletedAfterSeconds when the configuration has it, else a week. */
export const purgeDeletedAfterSeconds = (ctx: EngineContext): number =>
  (ctx.config.engine as { purgeDeletedAfterSeconds?: number }).purgeDeletedAfterSeconds ?? defaultRetentionSeconds;

/** Removes the resources deleted more than `olderThanSeconds` ago; returns how many went. */
export async function purgeDeletedResources(ctx: EngineContext, olderThanSeconds: number): Promise<number> {
  const before = new Date(Date.now() - olderThanSeconds * 1000).toISOString();
  let purged = 0;
  for (;;) {
    // A parent goes once its children have (children are deleted first, so they are older).
    const batch = await ctx.store.transaction(async (db) => {
      const ids = (await listPurgeableResources(db, before, batchSize)).map((row) => row.id);
      await removeResources(db, ids);
      return ids.length;
    });
    purged += batch;
    if (batch === 0) return purged;
  }
}
