// A parent whose state is read from its children's (a stack's from its servers') is observed again when a
// child is created, changes state or is deleted; otherwise it would keep what it was at its own apply.
import type { EventRow } from '../store/events.ts';
import { findResourceById } from '../store/resources.ts';
import { writeStatus } from '../resources/status.ts';
import type { StoredStatus } from '../resources/resource-row.ts';
import type { EngineContext } from './context.ts';
import { toDriverResource } from './driver-resource.ts';

const childChanges = new Set(['resource.created', 'resource.status', 'resource.deleted']);

/** Only kinds that may have a parent are looked up: the feed carries every event. */
export const changesAChild = (ctx: EngineContext, event: EventRow) =>
  childChanges.has(event.type) && ctx.kinds.get(event.object_kind)?.definition.parent !== undefined;

/** Writes the parent's new state and message, if the resource has a parent that reads them from its children. */
export async function observeParentOf(ctx: EngineContext, resourceId: string): Promise<void> {
  const child = await findResourceById(ctx.store.db, resourceId);
  if (!child?.parent_id) return;
  const parent = await findResourceById(ctx.store.db, child.parent_id);
  // A parent not yet applied, being deleted (its deletion reports on its children) or gone is left to its operations.
  if (!parent || ['pending', 'deleting', 'deleted'].includes(parent.state)) return;
  const driver = ctx.drivers.kindDriver(parent.driver, parent.kind);
  if (typeof driver === 'string' || !driver.observesChildren) return;
  const observation = await driver.observe(toDriverResource(parent));
  const { message } = JSON.parse(parent.status) as StoredStatus;
  if (observation.state === parent.state && observation.message === message) return;
  await ctx.store.transaction((db) => writeStatus(db, ctx.kinds, parent.id, { observation }));
  ctx.feed.poke();
}
