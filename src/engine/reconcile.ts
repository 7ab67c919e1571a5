// After a start, every resource a driver of this process holds is compared with what really runs.
import type { FastifyBaseLogger } from 'fastify';
import type { StoredStatus } from '../resources/resources.ts';
import { toDriverResource } from './driver-resource.ts';
import type { EngineContext } from './context.ts';
import { writeStatus } from './status.ts';

/** At start every held resource is checked; later sweeps check what may still change by itself. */
export async function reconcileAll(ctx: EngineContext, log: FastifyBaseLogger, onlyRunning = false): Promise<void> {
  const skipped = onlyRunning ? ['deleted', 'pending', 'succeeded', 'failed', 'stopped', 'deleting'] : ['deleted', 'pending'];
  const rows = await ctx.store.db.selectFrom('resources').selectAll().where('state', 'not in', skipped).execute();
  for (const row of rows) {
    const driver = ctx.drivers.kindDriver(row.driver, row.kind);
    if (typeof driver === 'string' || (JSON.parse(row.status) as StoredStatus).observedGeneration === 0) continue;
    try {
      const observation = await driver.observe(toDriverResource(row));
      if (observation.state !== row.state) await ctx.store.transaction((db) => writeStatus(db, ctx.kinds, row.id, { observation }));
    } catch (error) {
      log.warn({ err: error, resource: row.id }, 'reconciling a resource failed');
    }
  }
}
