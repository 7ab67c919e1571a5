// What metering reads of a team's event log: the states its resources entered and the specs their events recorded.
import type { ServiceContext } from '../domain/context.ts';
import * as store from '../store/billing.ts';
import { meterUsage, type MeteredResource, type SpecChange, type StateChange } from './metering.ts';
import type { InvoiceLine } from './models.ts';
import type { Period } from './periods.ts';

export interface ResourceHistory {
  changes: StateChange[];
  specs: SpecChange[];
}

const isSpec = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** resource.updated enters no state (labels, a new generation); any event's `spec` is the size from then on. */
export function readHistory(events: store.ResourceHistoryRow[]): ResourceHistory {
  const history: ResourceHistory = { changes: [], specs: [] };
  for (const event of events) {
    const data = JSON.parse(event.data) as Record<string, unknown>;
    const at = event.at;
    const resourceId = event.object_id;
    if (isSpec(data.spec)) history.specs.push({ at, resourceId, spec: data.spec });
    if (event.type !== 'resource.updated') history.changes.push({ at, resourceId, state: String(data.state ?? event.type) });
  }
  return history;
}

/** Usage of a team's resources in `period` up to `until`. */
export async function meterTeam(ctx: ServiceContext, teamId: string, period: Period, until: Date): Promise<InvoiceLine[]> {
  const db = ctx.store.db;
  const history = readHistory(await store.listResourceHistory(db, teamId, until.toISOString()));
  const rows = await store.findResourcesOfTeam(db, teamId, [...new Set(history.changes.map((c) => c.resourceId))]);
  const resources: MeteredResource[] = rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name, spec: JSON.parse(r.spec) }));
  return meterUsage({ ...history, resources, prices: ctx.config.billing.prices, period, until });
}
