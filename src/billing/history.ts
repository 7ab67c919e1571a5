// What metering reads of a team's event log: the states its resources entered and the specs their events recorded.
import type { ResourceContext } from '../resources/context.ts';
import { billingUnitsOf } from '../resources/kinds/registry.ts';
import * as store from '../store/billing.ts';
import { meterUsage, type MeteredResource, type SpecChange, type StateChange } from './metering.ts';
import type { InvoiceLine } from './models.ts';
import type { Period } from './periods.ts';

export interface ResourceHistory {
  changes: StateChange[];
  specs: SpecChange[];
  /** Every resource the events name, as they describe it: all there is of one whose team was removed. */
  described: Map<string, { kind: string; name: string }>;
}

const isSpec = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** resource.updated enters no state (labels, a new generation); any event's `spec` is the size from then on. */
export function readHistory(events: store.ResourceHistoryRow[]): ResourceHistory {
  const history: ResourceHistory = { changes: [], specs: [], described: new Map() };
  for (const event of events) {
    const data = JSON.parse(event.data) as Record<string, unknown>;
    const at = event.at;
    const resourceId = event.object_id;
    const name = typeof data.name === 'string' ? data.name : (history.described.get(resourceId)?.name ?? '');
    history.described.set(resourceId, { kind: event.object_kind, name });
    if (isSpec(data.spec)) history.specs.push({ at, resourceId, spec: data.spec });
    if (event.type !== 'resource.updated')
      history.changes.push({ at, resourceId, state: String(data.state ?? event.type) });
  }
  return history;
}

/**
 * A team's metering of any period up to `until`: its events and resource rows are read once, and each
 * period is metered from the events before its own end exactly as its invoice is (meterTeam).
 */
export async function teamMeter(
  ctx: ResourceContext,
  teamId: string,
  until: Date,
): Promise<(period: Period, until: Date) => InvoiceLine[]> {
  const db = ctx.store.db;
  const events = await store.listResourceHistory(db, teamId, until.toISOString());
  const ids = [...new Set(events.map((event) => event.object_id))];
  const rows = new Map((await store.findResourcesOfTeam(db, teamId, ids)).map((row) => [row.id, row]));
  return (period, periodUntil) => {
    const history = readHistory(events.filter((event) => Date.parse(event.at) < periodUntil.getTime()));
    const resources: MeteredResource[] = [...history.described].map(([id, described]) => {
      const row = rows.get(id);
      return row ? { id, kind: row.kind, name: row.name, spec: JSON.parse(row.spec) } : { id, ...described, spec: {} };
    });
    return meterUsage({
      ...history,
      resources,
      prices: ctx.config.billing.prices,
      unitsOf: (kind, spec) => billingUnitsOf(ctx.kinds, kind, spec),
      period,
      until: periodUntil,
    });
  };
}

/** Usage of a team's resources in `period` up to `until`; those whose rows are gone (a removed team's) from their events alone. */
export const meterTeam = async (ctx: ResourceContext, teamId: string, period: Period, until: Date) =>
  (await teamMeter(ctx, teamId, until))(period, until);
