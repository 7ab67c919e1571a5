// After a start, every resource a driver of this process holds is compared with what really runs.
import type { FastifyBaseLogger } from 'fastify';
import type { StoredStatus } from '../resources/resources.ts';
import { toDriverResource } from './driver-resource.ts';
import type { EngineContext } from './context.ts';
import { writeStatus } from '../resources/status.ts';
import { heldStates, selfChangingStates } from '../domain/states.ts';
import { listResourcesInStates } from '../store/resources.ts';

/** At start every held resource is checked; later sweeps check what may still change by itself. */
export async function reconcileAll(ctx: EngineContext, log: FastifyBaseLogger, onlyRunning = false): Promise<void> {
  const rows = await listResourcesInStates(ctx.store.db, onlyRunning ? selfChangingStates : heldStates);
  for (const row of rows) {
    const driver = ctx.drivers.kindDriver(row.driver, row.kind);
    if (typeof driver === 'string' || (JSON.parse(row.status) as StoredStatus).observedGeneration === 0) continue;
    try {
      const observation = await driver.observe(toDriverResource(row));
      if (observation.state !== row.state)
        await ctx.store.transaction((db) => writeStatus(db, ctx.kinds, row.id, { observation }));
    } catch (error) {
      log.warn({ err: error, resource: row.id }, 'reconciling a resource failed');
    }
  }
}
