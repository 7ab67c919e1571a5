// After a start, every resource a driver of this process holds is compared with what really runs.
import { setImmediate } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { StoredStatus } from '../resources/resource-row.ts';
import { toDriverResource } from './driver-resource.ts';
import type { EngineContext } from './context.ts';
import { writeStatus } from '../resources/status.ts';
import { heldStates, selfChangingStates } from '../domain/states.ts';
import { listResourcesOfDriverInState, type ResourceRow } from '../store/resources.ts';

/** Rows read at a time: at 100k resources one read of all of them held a core for seconds. */
const batchSize = 500;

async function reconcileRow(ctx: EngineContext, log: FastifyBaseLogger, row: ResourceRow) {
  const driver = ctx.drivers.kindDriver(row.driver, row.kind);
  if (typeof driver === 'string' || (JSON.parse(row.status) as StoredStatus).observedGeneration === 0) return;
  try {
    const observation = await driver.observe(toDriverResource(row));
    if (observation.state !== row.state)
      await ctx.store.transaction((db) => writeStatus(db, ctx.kinds, row.id, { observation }));
  } catch (error) {
    log.warn({ err: error, resource: row.id }, 'reconciling a resource failed');
  }
}

/** The kinds a driver holds that a sweep must observe: all of them after a restart, else those that change alone. */
function kindsToObserve(ctx: EngineContext, driverName: string, onlyRunning: boolean): string[] {
  return [...ctx.kinds.keys()].filter((kind) => {
    const driver = ctx.drivers.kindDriver(driverName, kind);
    return typeof driver !== 'string' && !(onlyRunning && driver.changesOnlyWhenTold);
  });
}

/**
 * At start every held resource is checked; later sweeps check what may still change by itself. Only the
 * drivers of this process whose objects may change unprompted are asked (not the external driver's agents).
 */
export async function reconcileAll(ctx: EngineContext, log: FastifyBaseLogger, onlyRunning = false): Promise<void> {
  const drivers = ctx.drivers.all().filter((driver) => !driver.changesOnlyWhenTold);
  for (const { name } of drivers) {
    const kinds = kindsToObserve(ctx, name, onlyRunning);
    if (kinds.length === 0) continue;
    for (const state of onlyRunning ? selfChangingStates : heldStates) {
      for (let after = ''; ;) {
        const rows = await listResourcesOfDriverInState(ctx.store.db, name, kinds, state, after, batchSize);
        for (const row of rows) {
          await reconcileRow(ctx, log, row);
          // An observation may complete without waiting (a file read): without this the whole sweep ran as one
          // task and held the event loop for seconds at 40k resources.
          await setImmediate();
        }
        if (rows.length < batchSize) break;
        after = rows[rows.length - 1].id;
      }
    }
  }
}
