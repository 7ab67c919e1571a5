// Usage from the event history: how long each resource was active within a period, priced per unit-hour.
import type { InvoiceLine } from './models.ts';
import type { Period } from './periods.ts';
import { unitsOf } from './units.ts';

/** One lifecycle event of a resource: the state it entered at a time. */
export interface StateChange {
  at: string;
  resourceId: string;
  state: string;
}

export interface MeteredResource {
  id: string;
  kind: string;
  name: string;
  spec: Record<string, unknown>;
}

export type PriceList = Record<string, Record<string, number>>;

const billableStates = new Set(['active']);

/** Seconds each resource spent in a billable state within [start, end); changes must be in order. */
export function activeSeconds(changes: StateChange[], start: Date, end: Date): Map<string, number> {
  const since = new Map<string, number>();
  const seconds = new Map<string, number>();
  const add = (resourceId: string, from: number, to: number) => {
    const clipped = Math.min(to, end.getTime()) - Math.max(from, start.getTime());
    if (clipped > 0) seconds.set(resourceId, (seconds.get(resourceId) ?? 0) + clipped / 1000);
  };
  for (const change of changes) {
    const at = Date.parse(change.at);
    const activeSince = since.get(change.resourceId);
    if (activeSince !== undefined && !billableStates.has(change.state)) {
      add(change.resourceId, activeSince, at);
      since.delete(change.resourceId);
    } else if (activeSince === undefined && billableStates.has(change.state)) {
      since.set(change.resourceId, at);
    }
  }
  for (const [resourceId, activeSince] of since) add(resourceId, activeSince, end.getTime());
  return seconds;
}

/** One line per resource and priced unit; amounts are rounded per line to whole minor units. */
export function meterUsage(input: { changes: StateChange[]; resources: MeteredResource[]; prices: PriceList; period: Period; until: Date }): InvoiceLine[] {
  const end = input.until < input.period.end ? input.until : input.period.end;
  const seconds = activeSeconds(input.changes, input.period.start, end);
  const lines: InvoiceLine[] = [];
  for (const resource of [...input.resources].sort((a, b) => a.id.localeCompare(b.id))) {
    const active = seconds.get(resource.id);
    if (!active) continue;
    const prices = input.prices[resource.kind] ?? {};
    for (const [unit, units] of Object.entries(unitsOf(resource.kind, resource.spec))) {
      const unitPrice = prices[unit];
      if (unitPrice === undefined || units <= 0) continue;
      const hours = active / 3600;
      lines.push({
        resource: { id: resource.id, kind: resource.kind, name: resource.name },
        unit,
        units,
        hours: Math.round(hours * 1e6) / 1e6,
        unitPrice,
        amount: Math.round(units * hours * unitPrice),
      });
    }
  }
  return lines;
}
